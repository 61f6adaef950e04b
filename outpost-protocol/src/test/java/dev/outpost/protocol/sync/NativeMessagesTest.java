package dev.outpost.protocol.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.ErrorBody;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The native sync messages read and write exactly the JSON of {@code docs/native-protocol.md}. */
class NativeMessagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static ObjectNode object(String text) {
        return (ObjectNode) json(text);
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPushRequestIsWrittenAsTheDocumentedJsonWithoutServerManagedProperties() {
        ObjectNode record = object("{'id':'a1','text':'milk','complete':false,'updatedAt':'2026-01-01T00:00:00.000Z',"
                + "'Version':'v0','deleted':false,'CREATEDAT':null,'nested':{'list':[1,2.5,null]}}");
        PushRequest request = new PushRequest(List.of(
                new PushOperation("5b0c", "todoitem", OperationKind.INSERT, "a1", null, record),
                new PushOperation("77d1", "todoitem", OperationKind.UPDATE, "b2", "AAABjO",
                        object("{'id':'b2','text':'bread','complete':true}")),
                new PushOperation("9e4f", "todoitem", OperationKind.DELETE, "c3", "AAABjO", null)));

        assertThat(parse(request.toBytes())).isEqualTo(json("{'operations':["
                + "{'id':'5b0c','table':'todoitem','kind':'insert','itemId':'a1','version':null,"
                + "'item':{'id':'a1','text':'milk','complete':false,'nested':{'list':[1,2.5,null]}}},"
                + "{'id':'77d1','table':'todoitem','kind':'update','itemId':'b2','version':'AAABjO',"
                + "'item':{'id':'b2','text':'bread','complete':true}},"
                + "{'id':'9e4f','table':'todoitem','kind':'delete','itemId':'c3','version':'AAABjO'}]}"));
        assertThat(record.has("updatedAt")).as("the record is left as it was").isTrue();
    }

    @Test
    void aPushRequestReadsBackAsWritten() {
        List<PushOperation> operations = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            operations.add(new PushOperation("op" + i, "t" + (i % 3), OperationKind.values()[i % 3], "r" + i,
                    i % 2 == 0 ? null : "v" + i, i % 3 == 2 ? null
                    : object("{'id':'r" + i + "','n':" + i + ",'s':'caf\u00e9 q'}")));
        }
        PushRequest request = new PushRequest(operations);

        assertThat(PushRequest.read(request.toBytes())).isEqualTo(request);
    }

    @Test
    void numericItemIdsAreReadAsTheirText() {
        PushRequest read = PushRequest.read(bytes("{'operations':[{'id':'o','table':'t','kind':'delete','itemId':42}]}"));

        assertThat(read.operations().get(0).itemId()).isEqualTo("42");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON|{'operations':|not valid JSON",
        "not an object|[]|\"operations\" array",
        "no operations|{}|\"operations\" array",
        "operations not an array|{'operations':{}}|\"operations\" array",
        "an operation that is not an object|{'operations':[1]}|operation 0 is not an object",
        "no id|{'operations':[{'table':'t','kind':'delete','itemId':'a'}]}|operation 0 needs an \"id\" string",
        "an empty id|{'operations':[{'id':'','table':'t','kind':'delete','itemId':'a'}]}|\"id\" string",
        "no table|{'operations':[{'id':'o','kind':'delete','itemId':'a'}]}|\"table\" string",
        "no kind|{'operations':[{'id':'o','table':'t','itemId':'a'}]}|\"kind\" string",
        "an unknown kind|{'operations':[{'id':'o','table':'t','kind':'upsert','itemId':'a'}]}|unknown kind",
        "no itemId|{'operations':[{'id':'o','table':'t','kind':'delete'}]}|\"itemId\" string",
        "an itemId that is an object|{'operations':[{'id':'o','table':'t','kind':'delete','itemId':{}}]}|\"itemId\"",
        "a version that is a number|{'operations':[{'id':'o','table':'t','kind':'delete','itemId':'a','version':1}]}"
                + "|\"version\" that is not a string",
        "an insert without an item|{'operations':[{'id':'o','table':'t','kind':'insert','itemId':'a'}]}"
                + "|(insert) needs an \"item\" object",
        "an update whose item is a list|{'operations':[{'id':'o','table':'t','kind':'update','itemId':'a','item':[]}]}"
                + "|(update) needs an \"item\" object",
        "a repeated operation id|{'operations':[{'id':'o','table':'t','kind':'delete','itemId':'a'},"
                + "{'id':'o','table':'t','kind':'delete','itemId':'b'}]}|'o' appears twice",
    })
    void aMalformedPushRequestIsRefusedWithWhatIsWrong(String what, String body, String message) {
        assertThatThrownBy(() -> PushRequest.read(bytes(body)))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aPushResponseIsWrittenAsTheDocumentedJsonAndReadBack() throws IOException {
        ObjectNode stored = object("{'id':'a1','text':'milk','version':'AAAB','deleted':false}");
        PushResponse response = new PushResponse(List.of(
                OperationResult.applied("5b0c", stored),
                OperationResult.applied("d", null),
                OperationResult.conflict("77d1", 412, stored),
                OperationResult.alreadyApplied("9e4f", stored),
                OperationResult.gone("g", stored),
                OperationResult.notFound("n"),
                OperationResult.rejected("r", 400, ErrorBody.of("wrongType", "text must be a string")
                        .with("property", "text"))));

        JsonNode written = parse(response.toBytes());

        assertThat(written).isEqualTo(json("{'results':["
                + "{'id':'5b0c','status':'applied','item':" + stored + "},"
                + "{'id':'d','status':'applied','item':null},"
                + "{'id':'77d1','status':'conflict','httpStatus':412,'item':" + stored + "},"
                + "{'id':'9e4f','status':'alreadyApplied','item':" + stored + "},"
                + "{'id':'g','status':'gone','httpStatus':410,'item':" + stored + "},"
                + "{'id':'n','status':'notFound','httpStatus':404},"
                + "{'id':'r','status':'rejected','httpStatus':400,"
                + "'error':{'error':'text must be a string','code':'wrongType','property':'text'}}]}"));
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        response.writeTo(streamed);
        assertThat(parse(streamed.toByteArray())).isEqualTo(written);
        assertThat(PushResponse.read(new ByteArrayInputStream(response.toBytes()))).isEqualTo(response);
    }

    @Test
    void aRejectionWithoutAnErrorBodyGetsOne() {
        PushResponse read = PushResponse.read(bytes("{'results':[{'id':'r','status':'rejected','httpStatus':400}]}"));

        assertThat(read.results().get(0).error().code()).isEqualTo("rejected");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON|{'results':[|not valid JSON",
        "no results|{'other':1}|\"results\" array",
        "a result that is not an object|{'results':[1]}|result 0 is not an object",
        "an unknown status|{'results':[{'id':'a','status':'maybe'}]}|known \"status\"",
        "no id|{'results':[{'status':'applied'}]}|needs an \"id\"",
        "an item that is a string|{'results':[{'id':'a','status':'applied','item':'x'}]}|item must be an object",
    })
    void aMalformedPushResponseIsRefusedWithWhatIsWrong(String what, String body, String message) {
        assertThatThrownBy(() -> PushResponse.read(bytes(body)))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aChangesPageIsWrittenAsTheDocumentedJsonAndReadAsItStreams() throws IOException {
        List<ObjectNode> items = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            items.add(object("{'id':'r" + i + "','n':" + i + ",'deleted':" + (i % 7 == 0) + "}"));
        }
        ChangesPage page = new ChangesPage(items, "eyJ1Ijo", true);

        JsonNode written = parse(page.toBytes());

        assertThat(written.get("items")).hasSize(1_000);
        assertThat(written.get("cursor").asText()).isEqualTo("eyJ1Ijo");
        assertThat(written.get("more").asBoolean()).isTrue();
        assertThat(ChangesPage.read(new ByteArrayInputStream(page.toBytes()))).isEqualTo(page);
        assertThat(parse(new ChangesPage(List.of(), null, false).toBytes()))
                .isEqualTo(json("{'items':[],'cursor':null,'more':false}"));
    }

    @Test
    void aChangesPageStreamCutShortIsAFailureNotAShortPage() {
        byte[] whole = new ChangesPage(List.of(object("{'id':'a'}"), object("{'id':'b'}")), "c", false).toBytes();
        InputStream cut = new ByteArrayInputStream(whole, 0, whole.length - 10);

        assertThatThrownBy(() -> ChangesPage.read(cut)).isInstanceOf(InvalidMessageException.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not an object|[]|must be a JSON object",
        "an item that is not an object|{'items':[1]}|item 0",
        "a cursor that is a number|{'items':[],'cursor':5}|cursor must be a string",
    })
    void aMalformedChangesPageIsRefusedWithWhatIsWrong(String what, String body, String message) {
        assertThatThrownBy(() -> ChangesPage.read(bytes(body)))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining(message);
    }
}
