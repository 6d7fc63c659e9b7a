package dev.warren.routing;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Topic exchange: a trie whose edges are the words of binding keys ({@code *} and {@code #} have
 * edges of their own), walked once per message, so the cost of a route depends on the words of the
 * routing key and the bindings that could match them, not on the number of bindings.
 *
 * <p>Keys split as RabbitMQ splits them: on every {@code .}, an empty key is zero words, and an
 * empty word is a word ({@code "a..b"} is {@code a}, {@code ""}, {@code b}).
 *
 * <p>Writers (the exchange's writer lock held) build any new path off to the side and then link its
 * first node with one volatile write; unbinding swaps the node's binding array and unlinks nodes
 * left empty. Readers therefore see a bind or unbind whole or not at all.
 */
final class TopicTable implements BindingTable {

  private static final String[] NO_WORDS = {};

  /** A trie node: the bindings whose key ends here and the edges to longer keys. */
  private static final class Node {
    volatile Binding[] bindings = Bindings.NONE;

    /** Literal-word edges; created on first use. */
    volatile ConcurrentHashMap<String, Node> words;

    volatile Node star;
    volatile Node hash;

    Node child(String word) {
      switch (word) {
        case "*":
          return star;
        case "#":
          return hash;
        default:
          ConcurrentHashMap<String, Node> m = words;
          return m == null ? null : m.get(word);
      }
    }

    /** Writers only. */
    void link(String word, Node child) {
      switch (word) {
        case "*" -> star = child;
        case "#" -> hash = child;
        default -> {
          ConcurrentHashMap<String, Node> m = words;
          if (m == null) {
            m = new ConcurrentHashMap<>(4);
            m.put(word, child);
            words = m;
          } else {
            m.put(word, child);
          }
        }
      }
    }

    /** Writers only. */
    void unlink(String word) {
      switch (word) {
        case "*" -> star = null;
        case "#" -> hash = null;
        default -> words.remove(word);
      }
    }

    boolean isEmpty() {
      ConcurrentHashMap<String, Node> m = words;
      return bindings.length == 0 && (m == null || m.isEmpty()) && star == null && hash == null;
    }
  }

  private final Node root = new Node();

  @Override
  public void add(Binding b) {
    String[] words = split(b.routingKey());
    Node node = root;
    int i = 0;
    for (Node next; i < words.length && (next = node.child(words[i])) != null; i++) {
      node = next;
    }
    if (i == words.length) {
      node.bindings = Bindings.with(node.bindings, b);
      return;
    }
    Node first = new Node();
    Node last = first;
    for (int j = i + 1; j < words.length; j++) {
      Node next = new Node();
      last.link(words[j], next);
      last = next;
    }
    last.bindings = new Binding[] {b};
    node.link(words[i], first);
  }

  @Override
  public void remove(Binding b) {
    String[] words = split(b.routingKey());
    Node[] path = new Node[words.length + 1];
    path[0] = root;
    for (int i = 0; i < words.length; i++) {
      path[i + 1] = path[i].child(words[i]);
      if (path[i + 1] == null) {
        return;
      }
    }
    Node end = path[words.length];
    end.bindings = Bindings.without(end.bindings, b);
    for (int i = words.length; i > 0 && path[i].isEmpty(); i--) {
      path[i - 1].unlink(words[i - 1]);
    }
  }

  @Override
  public void route(
      String routingKey,
      Map<String, Object> headers,
      HashProperties properties,
      Consumer<Destination> out) {
    new Walk(split(routingKey), out).visit(root, 0);
  }

  /** The words of a routing or binding key, as RabbitMQ splits them. */
  static String[] split(String key) {
    if (key.isEmpty()) {
      return NO_WORDS;
    }
    int count = 1;
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) == '.') {
        count++;
      }
    }
    String[] words = new String[count];
    int start = 0;
    for (int w = 0; w < count - 1; w++) {
      int dot = key.indexOf('.', start);
      words[w] = key.substring(start, dot);
      start = dot + 1;
    }
    words[count - 1] = key.substring(start);
    return words;
  }

  /**
   * One match of a routing key against the trie. A {@code #} node entered at word {@code i} is
   * visited at every word from {@code i} to the end. Visiting a {@code #} node at a word where it
   * was already visited would repeat work already done (and report its bindings twice), so each
   * {@code #} node remembers the lowest word it was entered at: entering it again at {@code j} only
   * visits words below that mark. Every (node, word) pair is thus visited at most once, which keeps
   * keys like {@code #.#.#} or {@code a.#.b.#} polynomial and each binding reported once.
   */
  private static final class Walk {
    private final String[] words;
    private final Consumer<Destination> out;
    private Node[] hashNodes;
    private int[] lowestEntered;
    private int hashNodeCount;

    Walk(String[] words, Consumer<Destination> out) {
      this.words = words;
      this.out = out;
    }

    void visit(Node node, int i) {
      Node hash = node.hash;
      if (hash != null) {
        enterHash(hash, i);
      }
      if (i == words.length) {
        for (Binding b : node.bindings) {
          out.accept(b.destination());
        }
        return;
      }
      ConcurrentHashMap<String, Node> literal = node.words;
      if (literal != null) {
        Node next = literal.get(words[i]);
        if (next != null) {
          visit(next, i + 1);
        }
      }
      Node star = node.star;
      if (star != null) {
        visit(star, i + 1);
      }
    }

    private void enterHash(Node hash, int from) {
      int slot = slotOf(hash);
      int until = lowestEntered[slot];
      if (from >= until) {
        return;
      }
      lowestEntered[slot] = from;
      for (int i = from; i < until; i++) {
        visit(hash, i);
      }
    }

    private int slotOf(Node hash) {
      for (int s = 0; s < hashNodeCount; s++) {
        if (hashNodes[s] == hash) {
          return s;
        }
      }
      if (hashNodes == null) {
        hashNodes = new Node[4];
        lowestEntered = new int[4];
      } else if (hashNodeCount == hashNodes.length) {
        hashNodes = Arrays.copyOf(hashNodes, hashNodeCount * 2);
        lowestEntered = Arrays.copyOf(lowestEntered, hashNodeCount * 2);
      }
      hashNodes[hashNodeCount] = hash;
      lowestEntered[hashNodeCount] = words.length + 1;
      return hashNodeCount++;
    }
  }
}
