package dev.warren.broker.amqp;

import dev.warren.broker.BrokerConfig;
import dev.warren.broker.access.AccessControl;
import dev.warren.broker.access.LoginThrottle;
import dev.warren.broker.metadata.DefinitionChanges;
import dev.warren.broker.policy.Policies;
import dev.warren.broker.vhost.QueueStorage;
import dev.warren.broker.vhost.VirtualHosts;
import dev.warren.queue.MemoryLedger;

/**
 * What every connection shares: configuration, access control and login throttling, virtual hosts,
 * policies and limits (with the global parameters), the resource alarm and the memory ledger, the
 * way to change definitions (the metadata thread), the stores queues keep their messages in, and
 * the registry that lists connections. Immutable references.
 */
public record BrokerContext(
    BrokerConfig config,
    AccessControl access,
    LoginThrottle logins,
    VirtualHosts vhosts,
    Policies policies,
    ResourceAlarm alarm,
    MemoryLedger ledger,
    DefinitionChanges changes,
    QueueStorage storage,
    ConnectionRegistry connections) {}
