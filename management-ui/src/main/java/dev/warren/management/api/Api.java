package dev.warren.management.api;

import dev.warren.management.http.ApiError;
import dev.warren.management.http.ApiRequest;
import dev.warren.management.http.ApiResponse;
import dev.warren.management.http.Caller;
import dev.warren.management.http.Router;
import dev.warren.management.spi.ManagementBackend;
import dev.warren.management.spi.ManagementException;
import dev.warren.management.spi.Permission;
import dev.warren.management.spi.VhostInfo;
import dev.warren.management.stats.Sampler;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The API's shared context (backend, sampler) and RabbitMQ's access rules: which tag a request
 * needs, which vhosts a user sees. {@link #register} adds every route.
 *
 * <p>Thread: immutable after construction; used by every worker.
 */
public final class Api {
  final ManagementBackend backend;
  final Sampler sampler;

  private Api(ManagementBackend backend, Sampler sampler) {
    this.backend = backend;
    this.sampler = sampler;
  }

  /** Adds RabbitMQ's {@code /api} routes, literal paths before variable ones. */
  public static void register(Router router, ManagementBackend backend, Sampler sampler) {
    Api api = new Api(backend, sampler);
    NodeApi.register(router, api);
    DefinitionsApi.register(router, api);
    ParameterApi.register(router, api);
    PolicyApi.register(router, api);
    LimitApi.register(router, api);
    ConnectionApi.register(router, api);
    ExchangeApi.register(router, api);
    QueueApi.register(router, api);
    BindingApi.register(router, api);
    VhostApi.register(router, api);
    UserApi.register(router, api);
    PermissionApi.register(router, api);
    HealthApi.register(router, api);
  }

  Views views(ApiRequest req) {
    return Views.of(req, backend.node().name(), sampler);
  }

  <T> Collection<T> filtered(Collection<T> all, Predicate<T> keep) {
    return all.stream().filter(keep).collect(Collectors.toList());
  }

  boolean vhostExists(String name) {
    return backend.vhostNames().contains(name);
  }

  /** 404 {@code Object Not Found} when the vhost does not exist. */
  void vhostMustExist(String vhost) {
    if (!vhostExists(vhost)) {
      throw ApiError.objectNotFound();
    }
  }

  // ---- tag rules ----

  static void admin(ApiRequest req) {
    if (!req.caller().isAdmin()) {
      throw ApiError.notAuthorised("Not administrator user");
    }
  }

  static void monitor(ApiRequest req) {
    if (!req.caller().isMonitor()) {
      throw ApiError.notAuthorised("Not monitor user");
    }
  }

  /**
   * Runs a change whose 400 reasons RabbitMQ's API HTML-escapes ({@code &lt;&lt;"foo"&gt;&gt;}):
   * its policies and parameters endpoints do, its operator policies and vhost limits do not.
   */
  static ApiResponse escapingReasons(Supplier<ApiResponse> change) {
    try {
      return change.get();
    } catch (ManagementException e) {
      if (e.kind() != ManagementException.Kind.BAD_REQUEST) {
        throw e;
      }
      throw ApiError.badRequest(escapeHtml(e.getMessage()));
    } catch (ApiError e) {
      if (e.status() != 400) {
        throw e;
      }
      throw ApiError.badRequest(escapeHtml(e.reason()));
    }
  }

  private static String escapeHtml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  static void policymaker(ApiRequest req) {
    if (!req.caller().isPolicymaker()) {
      throw ApiError.notAuthorised("User not authorised to access object");
    }
  }

  /** Whether the user has any permissions in the vhost (what AMQP's vhost access checks). */
  boolean hasVhostAccess(Caller c, String vhost) {
    for (Permission p : backend.permissions()) {
      if (p.user().equals(c.name()) && p.vhost().equals(vhost)) {
        return true;
      }
    }
    return false;
  }

  /**
   * RabbitMQ's vhost rule: an administrator, or a user with access to the path's vhost; a vhost
   * that does not exist passes (the endpoint answers 404).
   */
  void vhostAccess(ApiRequest req) {
    String vhost = req.pathVars().get("vhost");
    if (vhost == null || req.caller().isAdmin() || !vhostExists(vhost)) {
      return;
    }
    if (!hasVhostAccess(req.caller(), vhost)) {
      throw ApiError.notAuthorised("User not authorised to access virtual host");
    }
  }

  /** Policies and parameters: an administrator, or a policymaker with access to the vhost. */
  void policyAccess(ApiRequest req) {
    Caller c = req.caller();
    if (c.isAdmin()) {
      return;
    }
    String vhost = req.pathVars().get("vhost");
    boolean vhostOk = vhost == null || !vhostExists(vhost) || hasVhostAccess(c, vhost);
    if (!c.isPolicymaker() || !vhostOk) {
      throw ApiError.notAuthorised("User not authorised to access object");
    }
  }

  /** The vhosts a user's lists cover: all for administrators and monitors, else its own. */
  Predicate<String> visibleVhosts(Caller c, boolean monitorSeesAll) {
    if (c.isAdmin() || (monitorSeesAll && c.isMonitor())) {
      return v -> true;
    }
    Set<String> mine = new HashSet<>();
    for (Permission p : backend.permissions()) {
      if (p.user().equals(c.name())) {
        mine.add(p.vhost());
      }
    }
    return mine::contains;
  }

  /**
   * The items of the path's vhost (404 when it does not exist), or of every vhost the caller sees.
   */
  <T> Collection<T> scoped(
      ApiRequest req, Collection<T> all, Function<T, String> vhostOf, boolean monitorSeesAll) {
    vhostAccess(req);
    String vhost = req.pathVars().get("vhost");
    if (vhost != null) {
      vhostMustExist(vhost);
      return filtered(all, t -> vhostOf.apply(t).equals(vhost));
    }
    Predicate<String> visible = visibleVhosts(req.caller(), monitorSeesAll);
    return filtered(all, t -> visible.test(vhostOf.apply(t)));
  }

  /**
   * The names of the vhosts a list covers, as {@link #scoped} chooses them: the path's (404 when it
   * does not exist), or every vhost the caller sees.
   */
  List<String> scopedVhosts(ApiRequest req, boolean monitorSeesAll) {
    vhostAccess(req);
    String vhost = req.pathVars().get("vhost");
    if (vhost != null) {
      vhostMustExist(vhost);
      return List.of(vhost);
    }
    Predicate<String> visible = visibleVhosts(req.caller(), monitorSeesAll);
    return backend.vhostNames().stream().filter(visible).toList();
  }

  // ---- permission patterns, as AMQP checks them ----

  /** What a resource operation needs; RabbitMQ's three permission kinds. */
  enum Perm {
    CONFIGURE,
    WRITE,
    READ
  }

  /**
   * Refuses as RabbitMQ's API does (401 with AMQP's access-refused text) when the user's pattern
   * for the vhost does not match the resource name; administrators are held to their permissions
   * too, as AMQP holds them.
   */
  void resource(ApiRequest req, Perm perm, String vhost, String kind, String name) {
    Permission p = null;
    for (Permission x : backend.permissions()) {
      if (x.user().equals(req.caller().name()) && x.vhost().equals(vhost)) {
        p = x;
      }
    }
    String pattern =
        p == null
            ? null
            : switch (perm) {
              case CONFIGURE -> p.configure();
              case WRITE -> p.write();
              case READ -> p.read();
            };
    String resource = kind.equals("exchange") && name.isEmpty() ? "amq.default" : name;
    if (pattern == null || !matches(pattern, resource)) {
      throw ApiError.notAuthorised(
          "access to "
              + kind
              + " '"
              + name
              + "' in vhost '"
              + vhost
              + "' refused for user '"
              + req.caller().name()
              + "'");
    }
  }

  private static boolean matches(String pattern, String name) {
    if (pattern.isEmpty()) {
      return false;
    }
    try {
      return java.util.regex.Pattern.compile(pattern).matcher(name).find();
    } catch (java.util.regex.PatternSyntaxException e) {
      return false;
    }
  }

  static List<String> tags(Object tags) {
    if (tags instanceof List<?> l) {
      return l.stream().map(String::valueOf).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
    if (tags == null) {
      return List.of();
    }
    return java.util.Arrays.stream(String.valueOf(tags).split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  VhostInfo vhost(String name) {
    return backend.vhosts().stream()
        .filter(v -> v.name().equals(name))
        .findFirst()
        .orElseThrow(ApiError::objectNotFound);
  }
}
