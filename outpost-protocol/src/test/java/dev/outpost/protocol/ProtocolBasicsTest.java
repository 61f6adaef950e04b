package dev.outpost.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ProtocolBasicsTest {

    @Test
    void versionHeaderSelectsTheDialect() {
        assertThat(ProtocolVersion.fromHeader("2.0.0")).isEqualTo(ProtocolVersion.V2);
        assertThat(ProtocolVersion.fromHeader(" 2.0.1 ")).isEqualTo(ProtocolVersion.V2);
        assertThat(ProtocolVersion.fromHeader("3.0.0")).isEqualTo(ProtocolVersion.V3);
        assertThat(ProtocolVersion.fromHeader("1.0.0")).isNull();
        assertThat(ProtocolVersion.fromHeader("2.1.0")).isNull();
        assertThat(ProtocolVersion.fromHeader("2.0.0; DROP")).isNull();
        assertThat(ProtocolVersion.fromHeader(null)).isNull();
    }

    @Test
    void etagsAreStrongAndQuotedAndReadInEveryFormClientsSend() {
        assertThat(ETags.quote("MQ==")).isEqualTo("\"MQ==\"");
        assertThat(ETags.parse("\"MQ==\"")).isEqualTo("MQ==");
        assertThat(ETags.parse("MQ==")).isEqualTo("MQ==");
        assertThat(ETags.parse(" * ")).isEqualTo(ETags.ANY);
        assertThat(ETags.parse("W/\"MQ==\"")).isEqualTo("W/\"MQ==\"");
        assertThat(ETags.parse("")).isNull();
        assertThat(ETags.parse(ETags.quote("a\"b"))).isEqualTo("a\"b");
    }

    @Test
    void systemColumnsMatchIgnoringCase() {
        assertThat(SystemColumns.isSystem("UpdatedAt")).isTrue();
        assertThat(SystemColumns.canonical("VERSION")).isEqualTo("version");
        assertThat(SystemColumns.isServerManaged("createdat")).isTrue();
        assertThat(SystemColumns.isServerManaged("version")).isFalse();
        assertThat(SystemColumns.isSystem("text")).isFalse();
    }

    @Test
    void errorBodyWritesErrorThenCodeThenDetails() throws Exception {
        ErrorBody body = ErrorBody.of("unknownColumn", "no column 'x' in table 'todoitem'")
                .with("table", "todoitem").with("column", "x");
        String json = new ObjectMapper().writeValueAsString(body);
        assertThat(json).isEqualTo("{\"error\":\"no column 'x' in table 'todoitem'\",\"code\":\"unknownColumn\","
                + "\"table\":\"todoitem\",\"column\":\"x\"}");
        ErrorBody read = ErrorBody.fromJson(new ObjectMapper().readTree(json), "fallback");
        assertThat(read).isEqualTo(body);
    }

    @Test
    void errorBodyReadsOtherServersShapes() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(ErrorBody.fromJson(json.readTree("{\"message\":\"bad\"}"), "x").error()).isEqualTo("bad");
        assertThat(ErrorBody.fromJson(json.readTree("{\"title\":\"Bad Request\"}"), "x").error())
                .isEqualTo("Bad Request");
        assertThat(ErrorBody.fromJson(json.readTree("[1]"), "fallback").error()).isEqualTo("fallback");
        assertThat(ErrorBody.fromJson(null, "fallback").code()).isEqualTo("httpError");
    }
}
