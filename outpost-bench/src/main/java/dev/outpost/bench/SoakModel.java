package dev.outpost.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the apps of a {@link Soak} were told they wrote to the records they own (only their owner writes them, so no
 * conflict can overwrite them): the last acknowledged state of each, which ones were deleted, and which ones a
 * killed app may or may not have written last. At the end of the run the server must hold exactly that.
 */
final class SoakModel {
    private final Map<String, ObjectNode> owned = new HashMap<>();
    private final Set<String> deleted = new HashSet<>();
    private final Set<String> inDoubt = new HashSet<>();

    /** A record as an app writes it. */
    static ObjectNode record(String id, String text, boolean done) {
        return JsonNodeFactory.instance.objectNode().put("id", id).put("text", text).put("complete", done);
    }

    /** An app wrote {@code record} and was told it was written. */
    void wrote(ObjectNode record) {
        String id = record.get("id").asText();
        owned.put(id, record);
        deleted.remove(id);
        inDoubt.remove(id);
    }

    /** An app deleted {@code id} and was told it was deleted. */
    void deleted(String id) {
        owned.remove(id);
        deleted.add(id);
        inDoubt.remove(id);
    }

    /**
     * What a killed app acknowledged ({@code null} text: a delete), and the record it had begun to write when it was
     * killed ({@code null}: none). Its writes set the done flag at random: only their text is checked.
     */
    void killedAppAcknowledged(Map<String, String> acknowledged, String begun) {
        acknowledged.forEach((id, text) -> {
            if (text == null) {
                deleted(id);
            } else {
                wrote(record(id, text, false).put("textOnly", true));
            }
        });
        if (begun != null) {
            inDoubt.add(begun);
        }
    }

    /** The last acknowledged state of {@code id}, or {@code null} if it is deleted or unknown. */
    ObjectNode last(String id) {
        return owned.get(id);
    }

    /** The live records whose ids start with {@code prefix}, in id order. */
    List<String> live(String prefix) {
        return owned.keySet().stream().filter(id -> id.startsWith(prefix)).sorted().toList();
    }

    /**
     * How many acknowledged writes {@code server} (its live records by id) does not hold: a record that is not as
     * last written, or a deleted one still there. Each is described in {@code problems}.
     */
    int lost(Map<String, ObjectNode> server, List<String> problems) {
        int lost = 0;
        for (Map.Entry<String, ObjectNode> entry : owned.entrySet()) {
            String id = entry.getKey();
            ObjectNode want = entry.getValue();
            ObjectNode have = server.get(id);
            boolean same = have != null && Objects.equals(have.path("text").asText(), want.get("text").asText())
                    && (want.has("textOnly") || have.path("complete").asBoolean() == want.get("complete").asBoolean());
            if (!same && !inDoubt.contains(id)) {
                lost++;
                problems.add("lost: " + id + " should be " + want + ", the server has " + have);
            }
        }
        for (String id : deleted) {
            if (!inDoubt.contains(id) && server.containsKey(id)) {
                lost++;
                problems.add("lost delete: " + id + " is still on the server: " + server.get(id));
            }
        }
        return lost;
    }
}
