package dev.warren.broker.amqp;

import dev.warren.broker.BrokerConfig;
import dev.warren.broker.metadata.DurableChanges;
import dev.warren.broker.vhost.SpillJournals;
import dev.warren.broker.vhost.Users;
import dev.warren.broker.vhost.VirtualHosts;
import dev.warren.persistence.journal.Journal;

/**
 * What every connection shares: configuration, users, virtual hosts, the resource alarm, the node's
 * message journal, and the way to durable definitions (the metadata thread). Immutable references.
 */
public record BrokerContext(
    BrokerConfig config,
    Users users,
    VirtualHosts vhosts,
    ResourceAlarm alarm,
    Journal journal,
    DurableChanges durable,
    SpillJournals spill) {}
