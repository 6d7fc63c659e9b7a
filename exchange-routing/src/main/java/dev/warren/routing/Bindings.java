package dev.warren.routing;

import java.util.Arrays;

/** Copy-on-write helpers for the immutable {@code Binding[]} arrays that readers traverse. */
final class Bindings {

  static final Binding[] NONE = {};

  private Bindings() {}

  static Binding[] with(Binding[] bindings, Binding b) {
    Binding[] copy = Arrays.copyOf(bindings, bindings.length + 1);
    copy[bindings.length] = b;
    return copy;
  }

  /** The array without {@code b}; the same array if {@code b} is not in it. */
  static Binding[] without(Binding[] bindings, Binding b) {
    for (int i = 0; i < bindings.length; i++) {
      if (bindings[i].equals(b)) {
        if (bindings.length == 1) {
          return NONE;
        }
        Binding[] copy = new Binding[bindings.length - 1];
        System.arraycopy(bindings, 0, copy, 0, i);
        System.arraycopy(bindings, i + 1, copy, i, bindings.length - i - 1);
        return copy;
      }
    }
    return bindings;
  }
}
