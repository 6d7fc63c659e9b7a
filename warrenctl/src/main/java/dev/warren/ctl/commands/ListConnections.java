package dev.warren.ctl.commands;

import dev.warren.ctl.ApiPath;
import dev.warren.ctl.Column;
import dev.warren.ctl.Ctl;
import dev.warren.ctl.InfoKeys;
import dev.warren.ctl.ValueKind;
import dev.warren.ctl.Warrenctl;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * list_connections: GET /api/connections. A connection has no process id in the API: its pid column
 * is its name, which close_connection takes.
 */
@Command(
    name = "list_connections",
    description = "Lists AMQP 0.9.1 connections for the node",
    customSynopsis = "list_connections [--no-table-headers] [<column> ...] [--timeout <timeout>]")
public final class ListConnections implements Callable<Integer> {
  static final InfoKeys KEYS =
      new InfoKeys(
          List.of(
              Column.at("pid", ValueKind.PLAIN, "name"),
              Column.of("name"),
              Column.of("port"),
              Column.of("host", ValueKind.IP_ADDRESS),
              Column.of("peer_port"),
              Column.of("peer_host", ValueKind.IP_ADDRESS),
              Column.of("ssl"),
              Column.of("ssl_protocol"),
              Column.of("ssl_key_exchange"),
              Column.of("ssl_cipher"),
              Column.of("ssl_hash"),
              Column.of("peer_cert_subject"),
              Column.of("peer_cert_issuer"),
              Column.of("peer_cert_validity"),
              Column.of("state"),
              Column.of("channels"),
              Column.of("protocol", ValueKind.PROTOCOL),
              Column.of("auth_mechanism"),
              Column.of("user"),
              Column.of("vhost"),
              Column.of("timeout"),
              Column.of("frame_max"),
              Column.of("channel_max"),
              Column.of("client_properties", ValueKind.AMQP_TABLE),
              Column.of("recv_oct"),
              Column.of("recv_cnt"),
              Column.of("send_oct"),
              Column.of("send_cnt"),
              Column.of("send_pend"),
              Column.of("connected_at")),
          List.of("user", "peer_host", "peer_port", "state"));

  @ParentCommand Warrenctl root;
  @Mixin ColumnArguments columns;

  @Override
  public Integer call() {
    List<Column> selected = columns.select(KEYS);
    Ctl ctl = root.ctl();
    return Lists.stream(
        ctl, "Listing connections ...", ApiPath.of("connections"), selected, columns.headers());
  }
}
