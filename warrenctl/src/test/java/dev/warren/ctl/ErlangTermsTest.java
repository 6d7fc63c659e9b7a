package dev.warren.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The printed Erlang terms rabbitmqctl shows, rebuilt from the API's JSON. */
class ErlangTermsTest {
  @Test
  void floatsPrintInTheShortestFormThatReadsBackTiesGoingToFixedNotation() {
    assertEquals("60.0", ErlangTerms.floatText(60));
    assertEquals("100.0", ErlangTerms.floatText(100));
    assertEquals("1.0e3", ErlangTerms.floatText(1000));
    assertEquals("1099.5116", ErlangTerms.floatText(1099.5116));
    assertEquals("0.1319", ErlangTerms.floatText(0.1319));
    assertEquals("1.5e-4", ErlangTerms.floatText(1.5e-4));
    assertEquals("1.0e16", ErlangTerms.floatText(1e16));
    assertEquals("-2.5", ErlangTerms.floatText(-2.5));
    assertEquals("0.0", ErlangTerms.floatText(0));
  }

  @Test
  void atomsAreQuotedWhenTheyWouldNotReadBackBare() {
    assertEquals("warren@localhost", ErlangTerms.atom("warren@localhost"));
    assertEquals("'bench-5693@localhost'", ErlangTerms.atom("bench-5693@localhost"));
    assertEquals("'Rabbit'", ErlangTerms.atom("Rabbit"));
    assertEquals("'receive'", ErlangTerms.atom("receive"));
  }

  @Test
  void stringsAreCharacterListsPrintedAsTextOnlyWhenLatin1Printable() {
    assertEquals("\"ab\\\"c\"", ErlangTerms.string("ab\"c"));
    assertEquals("[]", ErlangTerms.string(""));
    assertEquals("\"caf\u00e9\"", ErlangTerms.string("caf\u00e9"));
    assertEquals("[8364]", ErlangTerms.string("\u20ac"));
  }

  @Test
  void tablesAreListsOfNameValueTuplesWithNestedTablesAndArrays() throws Exception {
    JsonNode table =
        ManagementApi.JSON.readTree(
            "{\"x-dlx\":\"d\",\"n\":10,\"f\":1.5,\"b\":true,\"t\":{\"k\":\"v\"},\"a\":[1,\"s\"],"
                + "\"none\":null}");

    assertEquals(
        "[{\"x-dlx\",\"d\"},{\"n\",10},{\"f\",1.5},{\"b\",true},{\"t\",[{\"k\",\"v\"}]},"
            + "{\"a\",[1,\"s\"]},{\"none\",undefined}]",
        ErlangTerms.table(table));
  }
}
