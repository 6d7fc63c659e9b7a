package dev.warren.management.api;

import dev.warren.management.http.ApiError;
import dev.warren.management.http.ApiRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The list parameters of RabbitMQ's API: {@code page}, {@code page_size} (default 100, at most
 * 500), {@code name} with {@code use_regex} (a case-insensitive substring or regular expression,
 * applied only with {@code page}), {@code sort}, {@code sort_reverse} and {@code columns}. {@code
 * disable_stats}, {@code enable_queue_totals}, {@code lengths_age}, {@code msg_rates_age} and their
 * {@code _incr} are read by the renderers.
 *
 * @param page 1-based page, or 0 when no page was asked for (the whole list, unfiltered)
 * @param sort the sort keys: the requested one first, then the list's defaults
 * @param columns dotted column paths to keep, or null for all
 */
record ListQuery(
    int page,
    int pageSize,
    Predicate<String> nameFilter,
    List<String> sort,
    boolean reverse,
    List<String[]> columns) {

  static final int DEFAULT_PAGE_SIZE = 100;
  static final int MAX_PAGE_SIZE = 500;
  private static final int MAX_FILTER_LENGTH = 100;

  static ListQuery parse(ApiRequest req, List<String> defaultSort) {
    Integer page = integer(req, "page");
    Integer size = integer(req, "page_size");
    int p = 0;
    int ps = DEFAULT_PAGE_SIZE;
    Predicate<String> filter = null;
    if (page != null) {
      if (page <= 0 || (size != null && (size <= 0 || size > MAX_PAGE_SIZE))) {
        throw new ApiError(
            400,
            "invalid_pagination_parameters",
            "Invalid pagination parameters: page number "
                + page
                + ", page size "
                + (size == null ? "undefined" : size));
      }
      p = page;
      ps = size == null ? DEFAULT_PAGE_SIZE : size;
      filter = nameFilter(req);
    }
    List<String> sort = new ArrayList<>();
    req.param("sort").filter(s -> !s.isEmpty()).ifPresent(sort::add);
    for (String d : defaultSort) {
      if (!sort.contains(d)) {
        sort.add(d);
      }
    }
    List<String[]> columns = null;
    String cols = req.query().get("columns");
    if (cols != null) {
      columns = new ArrayList<>();
      for (String c : cols.split(",")) {
        if (!c.isEmpty()) {
          columns.add(c.split("\\."));
        }
      }
    }
    return new ListQuery(p, ps, filter, sort, req.flag("sort_reverse"), columns);
  }

  boolean paged() {
    return page > 0;
  }

  private static Predicate<String> nameFilter(ApiRequest req) {
    String name = req.query().get("name");
    if (name == null || name.isEmpty()) {
      return null;
    }
    if (req.flag("use_regex")) {
      if (name.length() > MAX_FILTER_LENGTH) {
        throw new ApiError(400, "invalid_pagination_parameters", "name filter regex is too long");
      }
      try {
        Pattern re = Pattern.compile(name, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        return s -> re.matcher(s).find();
      } catch (PatternSyntaxException e) {
        throw ApiError.badRequest("Pagination parameters are invalid");
      }
    }
    String needle = name.toLowerCase(Locale.ROOT);
    return s -> s.toLowerCase(Locale.ROOT).contains(needle);
  }

  private static Integer integer(ApiRequest req, String name) {
    String v = req.query().get(name);
    if (v == null) {
      return null;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("Pagination parameters are invalid");
    }
  }
}
