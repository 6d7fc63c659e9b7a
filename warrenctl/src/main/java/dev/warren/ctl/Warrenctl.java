package dev.warren.ctl;

import dev.warren.ctl.commands.AddUser;
import dev.warren.ctl.commands.AddVhost;
import dev.warren.ctl.commands.AuthenticateUser;
import dev.warren.ctl.commands.AwaitStartup;
import dev.warren.ctl.commands.ChangePassword;
import dev.warren.ctl.commands.ClearOperatorPolicy;
import dev.warren.ctl.commands.ClearParameter;
import dev.warren.ctl.commands.ClearPermissions;
import dev.warren.ctl.commands.ClearPolicy;
import dev.warren.ctl.commands.ClearTopicPermissions;
import dev.warren.ctl.commands.CloseAllConnections;
import dev.warren.ctl.commands.CloseConnection;
import dev.warren.ctl.commands.DeleteQueue;
import dev.warren.ctl.commands.DeleteUser;
import dev.warren.ctl.commands.DeleteVhost;
import dev.warren.ctl.commands.ExportDefinitions;
import dev.warren.ctl.commands.ForgetClusterNode;
import dev.warren.ctl.commands.ImportDefinitions;
import dev.warren.ctl.commands.ListBindings;
import dev.warren.ctl.commands.ListChannels;
import dev.warren.ctl.commands.ListConnections;
import dev.warren.ctl.commands.ListConsumers;
import dev.warren.ctl.commands.ListExchanges;
import dev.warren.ctl.commands.ListOperatorPolicies;
import dev.warren.ctl.commands.ListPermissions;
import dev.warren.ctl.commands.ListPolicies;
import dev.warren.ctl.commands.ListQueues;
import dev.warren.ctl.commands.ListTopicPermissions;
import dev.warren.ctl.commands.ListUserLimits;
import dev.warren.ctl.commands.ListUserPermissions;
import dev.warren.ctl.commands.ListUsers;
import dev.warren.ctl.commands.ListVhostLimits;
import dev.warren.ctl.commands.ListVhosts;
import dev.warren.ctl.commands.PurgeQueue;
import dev.warren.ctl.commands.SetOperatorPolicy;
import dev.warren.ctl.commands.SetParameter;
import dev.warren.ctl.commands.SetPermissions;
import dev.warren.ctl.commands.SetPolicy;
import dev.warren.ctl.commands.SetTopicPermissions;
import dev.warren.ctl.commands.SetUserLimits;
import dev.warren.ctl.commands.SetUserTags;
import dev.warren.ctl.commands.SetVhostLimits;
import dev.warren.ctl.commands.Status;
import dev.warren.ctl.commands.TraceOff;
import dev.warren.ctl.commands.TraceOn;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * bin/warrenctl: rabbitmqctl's command names, arguments, flags, output and exit statuses, carried
 * out over the management HTTP API of Warren or RabbitMQ.
 *
 * <p>The broker is found at WARRENCTL_URL (default http://localhost:15672) as WARRENCTL_USER /
 * WARRENCTL_PASSWORD (default guest / guest); --url, --api-user and --api-password override them.
 * The global options (-n, -p, -q, -s, -t, --formatter) may come before or after the command, as
 * with rabbitmqctl. Each command is a class in {@code dev.warren.ctl.commands}; all run on the main
 * thread and send their requests one after another.
 */
@Command(
    name = "warrenctl",
    customSynopsis =
        "warrenctl [--node <node>] [--timeout <timeout>] [--longnames] [--quiet] <command>"
            + " [<command options>]",
    description = "rabbitmqctl's commands over the management HTTP API",
    subcommands = {
      Status.class,
      AwaitStartup.class,
      ForgetClusterNode.class,
      ListQueues.class,
      ListExchanges.class,
      ListBindings.class,
      ListConnections.class,
      ListChannels.class,
      ListConsumers.class,
      ListUsers.class,
      ListVhosts.class,
      ListPermissions.class,
      ListUserPermissions.class,
      ListTopicPermissions.class,
      AddUser.class,
      DeleteUser.class,
      ChangePassword.class,
      AuthenticateUser.class,
      SetUserTags.class,
      SetUserLimits.class,
      ListUserLimits.class,
      AddVhost.class,
      DeleteVhost.class,
      SetVhostLimits.class,
      ListVhostLimits.class,
      TraceOn.class,
      TraceOff.class,
      SetPermissions.class,
      ClearPermissions.class,
      SetTopicPermissions.class,
      ClearTopicPermissions.class,
      SetPolicy.class,
      ClearPolicy.class,
      ListPolicies.class,
      SetOperatorPolicy.class,
      ClearOperatorPolicy.class,
      ListOperatorPolicies.class,
      SetParameter.class,
      ClearParameter.class,
      CloseConnection.class,
      CloseAllConnections.class,
      PurgeQueue.class,
      DeleteQueue.class,
      ExportDefinitions.class,
      ImportDefinitions.class
    })
public final class Warrenctl implements Callable<Integer> {
  static final String DEFAULT_URL = "http://localhost:15672";

  @Option(
      names = {"-n", "--node"},
      scope = ScopeType.INHERIT,
      paramLabel = "<node>",
      description = "names the node in output (the API is found from WARRENCTL_URL)")
  String node;

  @Option(
      names = {"-p", "--vhost"},
      scope = ScopeType.INHERIT,
      paramLabel = "<vhost>",
      description = "virtual host, for commands scoped to one (default /)")
  String vhost = "/";

  @Option(
      names = {"-q", "--quiet"},
      scope = ScopeType.INHERIT,
      description = "suppress informational messages")
  boolean quiet;

  @Option(
      names = {"-s", "--silent"},
      scope = ScopeType.INHERIT,
      description = "suppress informational messages and table header row")
  boolean silent;

  @Option(
      names = {"-t", "--timeout"},
      scope = ScopeType.INHERIT,
      paramLabel = "<seconds>",
      description = "operation timeout in seconds")
  Double timeout;

  @Option(
      names = {"-l", "--longnames"},
      scope = ScopeType.INHERIT,
      description = "accepted for rabbitmqctl's sake; has no effect")
  boolean longnames;

  @Option(
      names = "--erlang-cookie",
      scope = ScopeType.INHERIT,
      paramLabel = "<cookie>",
      description = "accepted for rabbitmqctl's sake; has no effect")
  String erlangCookie;

  @Option(
      names = "--formatter",
      scope = ScopeType.INHERIT,
      paramLabel = "<table | json>",
      description = "result formatter: table (default) or json")
  String formatter = "table";

  @Option(
      names = "--url",
      scope = ScopeType.INHERIT,
      paramLabel = "<url>",
      description = "management API base URL (default: WARRENCTL_URL, else " + DEFAULT_URL + ")")
  String url;

  @Option(
      names = "--api-user",
      scope = ScopeType.INHERIT,
      paramLabel = "<user>",
      description = "management API user (default: WARRENCTL_USER, else guest)")
  String user;

  @Option(
      names = "--api-password",
      scope = ScopeType.INHERIT,
      paramLabel = "<password>",
      description = "management API password (default: WARRENCTL_PASSWORD, else guest)")
  String password;

  @Option(
      names = {"-?", "--help"},
      usageHelp = true,
      scope = ScopeType.INHERIT,
      description = "displays command help")
  boolean help;

  private final Map<String, String> env;
  private final InputStream stdin;
  private final PrintWriter out;
  private final PrintWriter err;
  private Ctl ctl;

  private Warrenctl(Map<String, String> env, InputStream stdin, PrintWriter out, PrintWriter err) {
    this.env = env;
    this.stdin = stdin;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(execute(args, System.getenv(), System.in, System.out, System.err));
  }

  /**
   * Runs one command line and returns its exit status; what it prints goes to {@code stdout} and
   * {@code stderr} (UTF-8). The tests call this in-process.
   */
  public static int execute(
      String[] args,
      Map<String, String> env,
      InputStream stdin,
      PrintStream stdout,
      PrintStream stderr) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8));
    PrintWriter err = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8));
    Warrenctl root = new Warrenctl(env, stdin, out, err);
    CommandLine cli = new CommandLine(root);
    cli.setOut(out);
    cli.setErr(err);
    ErrorHandler errors = new ErrorHandler(args, err);
    cli.setParameterExceptionHandler(errors);
    cli.setExecutionExceptionHandler(errors);
    try {
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** No command: rabbitmqctl's usage after an empty line, status 64. */
  @Override
  public Integer call() {
    err.println();
    ErrorHandler.printCommands(new CommandLine(this), err);
    return ExitCode.USAGE;
  }

  /** The context of this run, built on first use (after the options are parsed). */
  public Ctl ctl() {
    if (ctl == null) {
      ctl = buildCtl();
    }
    return ctl;
  }

  private Ctl buildCtl() {
    Output.Format format =
        switch (formatter) {
          case "json" -> Output.Format.JSON;
          case "table", "pretty_table" -> Output.Format.TABLE;
          default ->
              throw new UsageException(
                  "formatter '" + formatter + "' is not supported by warrenctl (table, json)");
        };
    Optional<String> nodeName = Optional.ofNullable(node).map(Warrenctl::qualify);
    String base = firstOf(url, env.get("WARRENCTL_URL"), DEFAULT_URL);
    URI endpointUrl = URI.create(base.endsWith("/") ? base : base + "/");
    Duration requestTimeout =
        timeout == null ? Duration.ofSeconds(60) : Duration.ofMillis((long) (timeout * 1000));
    ManagementApi api =
        new ManagementApi(
            new ManagementApi.Endpoint(
                endpointUrl,
                firstOf(user, env.get("WARRENCTL_USER"), "guest"),
                firstOf(password, env.get("WARRENCTL_PASSWORD"), "guest"),
                requestTimeout),
            nodeName.orElse(endpointUrl.getAuthority()));
    NodeName node = new NodeName(nodeName, api);
    Output output = new Output(out, format, quiet, silent, node::get);
    return new Ctl(api, output, vhost, node, Optional.ofNullable(timeout), stdin);
  }

  /** rabbitmqctl's node names: "rabbit" means rabbit@ this host's short name. */
  static String qualify(String node) {
    if (node.contains("@")) {
      return node;
    }
    try {
      String host = InetAddress.getLocalHost().getHostName();
      int dot = host.indexOf('.');
      return node + "@" + (dot > 0 ? host.substring(0, dot) : host);
    } catch (UnknownHostException e) {
      return node + "@localhost";
    }
  }

  private static String firstOf(String... values) {
    for (String v : values) {
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    throw new IllegalArgumentException("no value");
  }
}
