package io.tokencast.schema;

import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** A named change to the JSON text of an event, for tests that compare decode paths; the name shows in reports. */
record Mutation(String name, BiFunction<String, RandomEvents, String> change) {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    String apply(String json, RandomEvents events) {
        return change.apply(json, events);
    }

    /** Applies the change if the text is still a JSON object (most changes edit the tree), else keeps it. */
    String applyIfJson(String json, RandomEvents events) {
        try {
            return MAPPER.readTree(json).isObject() ? apply(json, events) : json;
        } catch (JacksonException e) {
            return json;
        }
    }

    /** Sets a field to a JSON literal. */
    static Mutation set(String field, String literal) {
        return edit(field + " = " + abbreviate(literal), field, value -> literal);
    }

    /** Replaces a field's value with a literal computed from the current one; a null literal removes it. */
    static Mutation edit(String name, String field, Function<JsonNode, String> literal) {
        return new Mutation(name, (json, events) -> {
            ObjectNode tree = (ObjectNode) MAPPER.readTree(json);
            JsonNode current = tree.get(field);
            String replacement =
                    literal.apply(current == null ? MAPPER.getNodeFactory().stringNode("") : current);
            if (replacement == null) {
                tree.remove(field);
            } else {
                tree.set(field, MAPPER.readTree(replacement));
            }
            return MAPPER.writeValueAsString(tree);
        });
    }

    /** Adds a property the codec does not know, last in the object. */
    static Mutation addUnknown(String literal) {
        return new Mutation(
                "unknown field = " + abbreviate(literal),
                (json, events) -> json.substring(0, json.lastIndexOf('}')) + ",\"addedLater\":" + literal + "}");
    }

    /** Repeats a field with its own value, first or last in the object. */
    static Mutation duplicate(String field, boolean first) {
        return new Mutation("duplicate " + field + (first ? " first" : " last"), (json, events) -> {
            JsonNode value = MAPPER.readTree(json).get(field);
            String property = "\"" + field + "\":" + (value == null ? "\"x\"" : value.toString());
            return first
                    ? "{" + property + "," + json.substring(json.indexOf('{') + 1)
                    : json.substring(0, json.lastIndexOf('}')) + "," + property + "}";
        });
    }

    /** Changes the text itself, valid JSON or not. */
    static Mutation raw(String name, UnaryOperator<String> change) {
        return new Mutation(name, (json, events) -> change.apply(json));
    }

    static String quoted(String text) {
        return MAPPER.writeValueAsString(text);
    }

    private static String abbreviate(String literal) {
        return literal.length() <= 40 ? literal : literal.substring(0, 40) + "… (" + literal.length() + " chars)";
    }

    @Override
    public String toString() {
        return name;
    }
}
