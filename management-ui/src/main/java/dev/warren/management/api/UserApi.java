package dev.warren.management.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warren.management.http.ApiError;
import dev.warren.management.http.ApiRequest;
import dev.warren.management.http.ApiResponse;
import dev.warren.management.http.Router;
import dev.warren.management.spi.Permission;
import dev.warren.management.spi.UserInfo;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code /api/users}, {@code /api/whoami} and {@code /api/auth/hash_password}. */
final class UserApi {
  static final Listing<UserInfo> LISTING =
      new Listing<>(List.of("name"), UserInfo::name, Map.of("name", UserInfo::name), false);
  private static final SecureRandom RANDOM = new SecureRandom();

  private UserApi() {}

  static void register(Router r, Api api) {
    r.route("/api/whoami").get(req -> whoami(req));
    r.route("/api/auth/hash_password/{password}").get(req -> hash(api, req));
    r.route("/api/users").get(req -> list(api, req, false));
    r.route("/api/users/without-permissions").get(req -> list(api, req, true));
    r.route("/api/users/bulk-delete").post(req -> bulkDelete(api, req));
    r.route("/api/users/{user}")
        .get(req -> ApiResponse.ok(render(find(api, req))))
        .put(req -> put(api, req))
        .delete(req -> delete(api, req));
    r.route("/api/users/{user}/permissions").get(req -> PermissionApi.ofUser(api, req, false));
    r.route("/api/users/{user}/topic-permissions").get(req -> PermissionApi.ofUser(api, req, true));
  }

  private static ApiResponse whoami(ApiRequest req) {
    ObjectNode o = Json.object();
    o.put("name", req.caller().name());
    o.set("tags", Json.tree(req.caller().tags()));
    return ApiResponse.ok(o);
  }

  private static ApiResponse hash(Api api, ApiRequest req) {
    Api.admin(req);
    ObjectNode o = Json.object();
    o.put("ok", api.backend.hashPassword(req.var("password")));
    return ApiResponse.ok(o);
  }

  private static ApiResponse list(Api api, ApiRequest req, boolean withoutPermissions) {
    Api.admin(req);
    var users = api.backend.users();
    if (withoutPermissions) {
      Set<String> with = new HashSet<>();
      api.backend.permissions().forEach(p -> with.add(p.user()));
      users = api.filtered(users, u -> !with.contains(u.name()));
    }
    return ApiResponse.ok(LISTING.reply(req, users, UserApi::render));
  }

  static ObjectNode render(UserInfo u) {
    ObjectNode o = Json.object();
    o.put("name", u.name());
    o.put("password_hash", u.passwordHash());
    o.put("hashing_algorithm", u.hashingAlgorithm());
    o.set("tags", Json.tree(u.tags()));
    o.set("limits", Json.tree(u.limits()));
    return o;
  }

  static Optional<UserInfo> user(Api api, String name) {
    return api.backend.users().stream().filter(u -> u.name().equals(name)).findFirst();
  }

  private static UserInfo find(Api api, ApiRequest req) {
    Api.admin(req);
    return user(api, req.var("user")).orElseThrow(ApiError::objectNotFound);
  }

  /**
   * PUT with {@code password} (hashed here by the backend) or {@code password_hash} (with an
   * optional {@code hashing_algorithm}), and {@code tags} as a list or a comma-separated string.
   * With neither password field the user gets a random password, as RabbitMQ 3.10 does.
   */
  private static ApiResponse put(Api api, ApiRequest req) {
    Api.admin(req);
    String name = req.var("user");
    ObjectNode body = Json.body(req.body());
    Optional<UserInfo> old = user(api, name);
    String hash;
    String algorithm;
    JsonNode password = body.get("password");
    JsonNode passwordHash = body.get("password_hash");
    if (password != null && !password.isNull()) {
      hash = api.backend.hashPassword(password.asText());
      algorithm = api.backend.defaultHashingAlgorithm();
    } else if (passwordHash != null && !passwordHash.isNull()) {
      hash = passwordHash.asText();
      JsonNode alg = body.get("hashing_algorithm");
      algorithm =
          alg != null && !alg.isNull() ? alg.asText() : api.backend.defaultHashingAlgorithm();
      if (!hash.isEmpty()) {
        try {
          Base64.getDecoder().decode(hash);
        } catch (IllegalArgumentException e) {
          throw ApiError.badRequest("invalid password hash");
        }
      }
    } else if (old.isPresent()) {
      hash = old.get().passwordHash();
      algorithm = old.get().hashingAlgorithm();
    } else {
      byte[] random = new byte[24];
      RANDOM.nextBytes(random);
      hash = api.backend.hashPassword(Base64.getEncoder().encodeToString(random));
      algorithm = api.backend.defaultHashingAlgorithm();
    }
    List<String> tags =
        body.has("tags")
            ? Api.tags(Json.plain(body.get("tags")))
            : old.map(UserInfo::tags).orElse(List.of());
    boolean created =
        api.backend.putUser(
            new UserInfo(name, hash, algorithm, tags, old.map(UserInfo::limits).orElse(Map.of())));
    return ApiResponse.createdOrUpdated(created);
  }

  private static ApiResponse delete(Api api, ApiRequest req) {
    UserInfo u = find(api, req);
    api.backend.deleteUser(u.name());
    return ApiResponse.noContent();
  }

  /** POST {@code {"users": [...]}}: deletes each that exists. */
  private static ApiResponse bulkDelete(Api api, ApiRequest req) {
    Api.admin(req);
    JsonNode users = Json.body(req.body()).get("users");
    if (users == null || !users.isArray()) {
      throw ApiError.badRequest("[{key_missing,users}]");
    }
    for (JsonNode u : users) {
      if (user(api, u.asText()).isPresent()) {
        api.backend.deleteUser(u.asText());
      }
    }
    return ApiResponse.noContent();
  }

  static boolean hasPermissions(Api api, String user) {
    for (Permission p : api.backend.permissions()) {
      if (p.user().equals(user)) {
        return true;
      }
    }
    return false;
  }
}
