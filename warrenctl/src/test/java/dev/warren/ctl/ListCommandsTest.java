package dev.warren.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.warren.management.spi.VhostSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The list commands print rabbitmqctl 3.10's banner, header row and tab-separated cells. Rows come
 * in the API's order (by name); RabbitMQ prints them in its tables' order, which it does not
 * specify. Cells that hold Erlang process ids in RabbitMQ (a connection's or channel's pid) hold
 * the object's name here: the HTTP API has no pids.
 */
class ListCommandsTest extends CtlTestSupport {
  @BeforeEach
  void objects() {
    declareTopology();
    openConnection();
  }

  @Test
  void listQueuesPrintsTimeoutAndListingBannersThenNameAndMessages() {
    Run run = ctl("list_queues");

    assertEquals(0, run.exitCode());
    assertEquals(
        lines(
            "Timeout: 60.0 seconds ...",
            "Listing queues for vhost / ...",
            "name\tmessages",
            "orders\t4",
            "q.args\t0"),
        run.out());
    assertEquals("", run.err());
  }

  @Test
  void listQueuesShowsTheColumnsNamedInTheirOrderWithArgumentsAsErlangTerms() {
    Run run =
        ctl(
            "list_queues",
            "name",
            "durable",
            "auto_delete",
            "arguments",
            "policy",
            "exclusive",
            "messages_ready",
            "messages_unacknowledged",
            "messages",
            "state",
            "type");

    assertEquals(
        lines(
            "Timeout: 60.0 seconds ...",
            "Listing queues for vhost / ...",
            "name\tdurable\tauto_delete\targuments\tpolicy\texclusive\tmessages_ready"
                + "\tmessages_unacknowledged\tmessages\tstate\ttype",
            "orders\ttrue\tfalse\t[]\t\tfalse\t4\t0\t4\trunning\tclassic",
            "q.args\ttrue\tfalse\t[{\"x-max-length\",10}]\t\tfalse\t0\t0\t0\trunning\tclassic"),
        run.out());
  }

  @Test
  void columnsMayBeCommaSeparatedAndTheTimeoutBannerShowsTheTimeoutGiven() {
    Run run = ctl("list_queues", "-t", "5", "name,messages_ready");

    assertEquals(
        lines(
            "Timeout: 5.0 seconds ...",
            "Listing queues for vhost / ...",
            "name\tmessages_ready",
            "orders\t4",
            "q.args\t0"),
        run.out());
  }

  @Test
  void quietDropsTheBannersAndSilentAlsoTheHeaderRow() {
    assertEquals(
        lines("name\tmessages", "orders\t4", "q.args\t0"),
        ctl("-q", "list_queues", "name", "messages").out());
    assertEquals(
        lines("orders\t4", "q.args\t0"), ctl("-s", "list_queues", "name", "messages").out());
    assertEquals(
        lines("name\tmessages", "orders\t4", "q.args\t0"), ctl("list_queues", "--quiet").out());
  }

  @Test
  void noTableHeadersKeepsTheBannersButDropsTheHeaderRow() {
    assertEquals(
        lines(
            "Timeout: 60.0 seconds ...",
            "Listing queues for vhost / ...",
            "orders\t4",
            "q.args\t0"),
        ctl("list_queues", "--no-table-headers").out());
  }

  @Test
  void jsonFormatterPrintsOneObjectPerLineWithTypedFieldTables() {
    Run run = ctl("list_queues", "name", "messages", "arguments", "--formatter", "json");

    // rabbitmqctl types x-max-length "signedint" (the client sent a 32-bit int); the API's JSON
    // does not carry AMQP types, so every integer is a "long" here.
    assertEquals(
        lines(
            "[",
            "{\"name\":\"orders\",\"messages\":4,\"arguments\":[]}",
            ",{\"name\":\"q.args\",\"messages\":0,\"arguments\":[[\"x-max-length\",\"long\",10]]}",
            "]"),
        run.out());
  }

  @Test
  void anEmptyListPrintsOnlyItsBannersAndInJsonTheTwoBrackets() {
    Run table = ctl("list_queues", "-p", "empty");
    Run json = ctl("list_queues", "-p", "empty", "--formatter", "json");

    // A virtual host that does not exist lists nothing, exit 0, as rabbitmqctl.
    assertEquals(0, table.exitCode());
    assertEquals(
        lines("Timeout: 60.0 seconds ...", "Listing queues for vhost empty ..."), table.out());
    assertEquals(lines("[", "]"), json.out());
  }

  @Test
  void vhostFlagSelectsTheVirtualHostBeforeOrAfterTheCommand() {
    backend.putVhost(new VhostSpec("dev", "", List.of(), "", false));
    declareQueue("dev", "dev-queue", Map.of());

    assertEquals(
        lines("name\tmessages", "dev-queue\t0"), ctl("-p", "dev", "-q", "list_queues").out());
    assertEquals(
        lines("name\tmessages", "dev-queue\t0"), ctl("-q", "list_queues", "--vhost", "dev").out());
  }

  @Test
  void anUnknownInfoKeyIsAnArgumentErrorWithTheCommandsUsage() {
    Run run = ctl("list_queues", "nosuchkey");

    assertEquals(64, run.exitCode());
    assertEquals("", run.out());
    assertEquals(
        lines(
            "Error (argument validation): Info key(s) nosuchkey are not supported",
            "Arguments given:",
            "\tlist_queues nosuchkey",
            "",
            "Usage",
            "",
            "warrenctl [--node <node>] [--longnames] [--quiet] list_queues [--vhost <vhost>]"
                + " [--online] [--offline] [--local] [--no-table-headers] [<column>, ...]"
                + " [--timeout <timeout>]"),
        run.err());
  }

  @Test
  void listExchangesPrintsNameAndTypeAndTheArgumentsColumnAsErlangTerms() {
    assertEquals(
        lines(
            "Listing exchanges for vhost / ...",
            "name\ttype",
            "\tdirect",
            "amq.direct\tdirect",
            "amq.fanout\tfanout",
            "amq.topic\ttopic",
            "logs\tfanout",
            "x.args\ttopic"),
        ctl("list_exchanges").out());
    assertContains(
        "x.args\ttrue\tfalse\tfalse\t[{\"alternate-exchange\",\"logs\"}]\n",
        ctl("-q", "list_exchanges", "name", "durable", "auto_delete", "internal", "arguments")
            .out());
    assertContains(
        ",{\"name\":\"x.args\",\"arguments\":[[\"alternate-exchange\",\"longstr\",\"logs\"]]}\n",
        ctl("list_exchanges", "name", "arguments", "--formatter", "json").out());
  }

  @Test
  void listBindingsPrintsEveryColumnByDefaultIncludingTheDefaultExchangesBindings() {
    assertEquals(
        lines(
            "Listing bindings for vhost /...",
            "source_name\tsource_kind\tdestination_name\tdestination_kind\trouting_key\targuments",
            "\texchange\torders\tqueue\torders\t[]",
            "\texchange\tq.args\tqueue\tq.args\t[]",
            "logs\texchange\torders\tqueue\t\t[]",
            "x.args\texchange\tq.args\tqueue\ta.#\t[{\"x-match\",\"all\"}]"),
        ctl("list_bindings").out());
    assertContains(
        ",{\"source_name\":\"x.args\",\"source_kind\":\"exchange\",\"destination_name\":\"q.args\","
            + "\"destination_kind\":\"queue\",\"routing_key\":\"a.#\","
            + "\"arguments\":[[\"x-match\",\"longstr\",\"all\"]]}\n",
        ctl("list_bindings", "--formatter", "json").out());
  }

  @Test
  void listConnectionsPrintsUserPeerAndStateByDefault() {
    assertEquals(
        lines(
            "Listing connections ...",
            "user\tpeer_host\tpeer_port\tstate",
            "guest\t127.0.0.1\t54768\trunning"),
        ctl("list_connections").out());
  }

  @Test
  void listConnectionsColumnsAsRabbitmqctlWithTheNameStandingInForThePid() {
    Run run =
        ctl(
            "-q",
            "list_connections",
            "name",
            "pid",
            "peer_port",
            "user",
            "vhost",
            "state",
            "channels",
            "protocol",
            "auth_mechanism",
            "ssl",
            "timeout",
            "frame_max",
            "channel_max");

    assertEquals(
        lines(
            "name\tpid\tpeer_port\tuser\tvhost\tstate\tchannels\tprotocol\tauth_mechanism\tssl"
                + "\ttimeout\tframe_max\tchannel_max",
            CONNECTION
                + "\t"
                + CONNECTION
                + "\t54768\tguest\t/\trunning\t2\t{0,9,1}\tPLAIN\tfalse\t60\t131072\t2047"),
        run.out());
  }

  @Test
  void listConnectionsInJsonWritesAddressesAndTheProtocolAsErlangTuples() {
    assertEquals(
        lines(
            "[",
            "{\"name\":\""
                + CONNECTION
                + "\",\"user\":\"guest\",\"protocol\":[0,9,1],\"peer_host\":[127,0,0,1],"
                + "\"host\":[127,0,0,1]}",
            "]"),
        ctl(
                "list_connections",
                "name",
                "user",
                "protocol",
                "peer_host",
                "host",
                "--formatter",
                "json")
            .out());
  }

  @Test
  void clientPropertiesPrintAsANestedErlangProplist() {
    assertEquals(
        lines(
            "client_properties",
            "[{\"connection_name\",\"fixture\"},{\"capabilities\",[{\"basic.nack\",true}]}]"),
        ctl("-q", "list_connections", "client_properties").out());
  }

  @Test
  void listChannelsPrintsPidUserConsumersAndUnackedByDefault() {
    assertEquals(
        lines(
            "Listing channels ...",
            "pid\tuser\tconsumer_count\tmessages_unacknowledged",
            CONNECTION + " (1)\tguest\t0\t0",
            CONNECTION + " (2)\tguest\t1\t0"),
        ctl("list_channels").out());
    assertEquals(
        lines(
            "name\tnumber\tvhost\ttransactional\tconfirm\tprefetch_count"
                + "\tglobal_prefetch_count\tconnection",
            CONNECTION + " (1)\t1\t/\tfalse\tfalse\t0\t0\t" + CONNECTION,
            CONNECTION + " (2)\t2\t/\tfalse\tfalse\t5\t0\t" + CONNECTION),
        ctl(
                "-q",
                "list_channels",
                "name",
                "number",
                "vhost",
                "transactional",
                "confirm",
                "prefetch_count",
                "global_prefetch_count",
                "connection")
            .out());
  }

  @Test
  void listConsumersPrintsItsColumnsInItsOwnOrderWhateverOrderTheyAreNamedIn() {
    assertEquals(
        lines(
            "Listing consumers in vhost / ...",
            "queue_name\tchannel_pid\tconsumer_tag\tack_required\tprefetch_count\tactive"
                + "\targuments",
            "q.args\t" + CONNECTION + " (2)\tctag-1\ttrue\t5\ttrue\t[]"),
        ctl("list_consumers").out());
    assertEquals(
        lines("Listing consumers in vhost / ...", "queue_name\tconsumer_tag", "q.args\tctag-1"),
        ctl("list_consumers", "consumer_tag", "queue_name").out());
    assertEquals(
        lines(
            "[",
            "{\"queue_name\":\"q.args\",\"channel_pid\":\""
                + CONNECTION
                + " (2)\",\"consumer_tag\":\"ctag-1\",\"ack_required\":true,"
                + "\"prefetch_count\":5,\"active\":true,\"arguments\":[]}",
            "]"),
        ctl("list_consumers", "--formatter", "json").out());
  }

  @Test
  void listUsersPrintsTagsAsAnErlangList() {
    assertEquals(
        lines("Listing users ...", "user\ttags", "guest\t[administrator]"),
        ctl("list_users").out());
    assertEquals(
        lines("[", "{\"user\":\"guest\",\"tags\":[\"administrator\"]}", "]"),
        ctl("list_users", "--formatter", "json").out());
  }

  @Test
  void listVhostsPrintsNamesAndOnRequestTheirClusterStateAsErlangTuples() {
    assertEquals(lines("Listing vhosts ...", "name", "/"), ctl("list_vhosts").out());
    assertEquals(
        lines(
            "Listing vhosts ...",
            "name\tdescription\ttags\tdefault_queue_type\ttracing\tcluster_state",
            "/\tDefault virtual host\t[]\tundefined\tfalse\t[{warren@localhost, running}]"),
        ctl(
                "list_vhosts",
                "name",
                "description",
                "tags",
                "default_queue_type",
                "tracing",
                "cluster_state")
            .out());
    assertEquals(
        lines("[", "{\"name\":\"/\",\"tracing\":false}", "]"),
        ctl("list_vhosts", "name", "tracing", "--formatter", "json").out());
  }
}
