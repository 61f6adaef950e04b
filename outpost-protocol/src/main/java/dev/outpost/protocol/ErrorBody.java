package dev.outpost.protocol;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON body of every Outpost error answer: {@code {"error": "<message>", "code": "<code>", ...details}}.
 *
 * <p>{@code error} is the field the official v2 clients read; {@code code} is a stable, machine-readable name
 * (for example {@code invalidFilter}, {@code unknownColumn}, {@code bodyTooLarge}); details are extra structured
 * fields such as {@code table}, {@code column} or {@code position}. Immutable.
 *
 * @param code    a stable camelCase name for the kind of error
 * @param error   what was wrong, for people
 * @param details extra structured fields (never record contents)
 */
@JsonPropertyOrder({"error", "code"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(
        @JsonProperty("code") String code,
        @JsonProperty("error") String error,
        @JsonIgnore Map<String, Object> details) {

    public ErrorBody {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(error, "error");
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** An error with no details. */
    public static ErrorBody of(String code, String error) {
        return new ErrorBody(code, error, Map.of());
    }

    /** Returns a copy with one more detail field. */
    public ErrorBody with(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(details);
        copy.put(key, value);
        return new ErrorBody(code, error, copy);
    }

    /**
     * Reads an error body from any server's answer: Outpost's and Node's {@code error}, .NET's {@code message},
     * or a v3 problem document's {@code title}/{@code detail}. Returns a body with code {@code httpError} and the
     * given fallback message when the JSON has none of them.
     */
    public static ErrorBody fromJson(JsonNode node, String fallback) {
        if (node == null || !node.isObject()) {
            return of("httpError", fallback);
        }
        String message = firstText(node, "error", "message", "detail", "title");
        String code = node.path("code").isTextual() ? node.get("code").asText() : "httpError";
        Map<String, Object> details = new LinkedHashMap<>();
        node.properties().forEach(field -> {
            String key = field.getKey();
            if (!key.equals("code") && !key.equals("error") && field.getValue().isValueNode()) {
                JsonNode value = field.getValue();
                details.put(key, value.isNumber() ? value.numberValue() : value.isBoolean() ? value.asBoolean()
                        : value.isNull() ? null : value.asText());
            }
        });
        return new ErrorBody(code, message == null ? fallback : message, details);
    }

    private static String firstText(JsonNode node, String... names) {
        for (String name : names) {
            JsonNode value = node.get(name);
            if (value != null && value.isTextual()) {
                return value.asText();
            }
        }
        return null;
    }

    @JsonAnyGetter
    Map<String, Object> detailsForJson() {
        return details;
    }
}
