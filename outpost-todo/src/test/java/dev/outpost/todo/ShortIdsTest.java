package dev.outpost.todo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShortIdsTest {
    @Test
    void shortIdsAreSixCharactersUnlessLongerIsNeededToTellIdsApart() {
        Map<String, String> shortIds = ShortIds.of(List.of("3f2a1c9e-aaaa", "3f2a1c0b-bbbb", "9b04de77-cccc",
                "offline-x-A", "offline-x-B"));

        assertThat(shortIds).containsEntry("9b04de77-cccc", "9b04de")
                .containsEntry("3f2a1c9e-aaaa", "3f2a1c9")
                .containsEntry("3f2a1c0b-bbbb", "3f2a1c0")
                .containsEntry("offline-x-A", "offline-x-A")
                .containsEntry("offline-x-B", "offline-x-B");
    }

    @Test
    void aUniquePrefixInAnyCaseResolvesToItsId() {
        assertThat(ShortIds.resolve("3F2A1C9", List.of("3f2a1c9e-aaaa", "3f2a1c0b-bbbb"), "item"))
                .isEqualTo("3f2a1c9e-aaaa");
        assertThat(ShortIds.resolve("ab", List.of("ab", "abc"), "item")).as("an exact id wins").isEqualTo("ab");
    }

    @Test
    void anAmbiguousPrefixNamesTheIdsItStarts() {
        assertThatThrownBy(() -> ShortIds.resolve("3f", List.of("3f2a1c9e", "3f2a1c0b", "9b04de77"), "item"))
                .isInstanceOf(AmbiguousIdException.class)
                .hasMessage("'3f' is ambiguous: it starts 2 ids (3f2a1c0b, 3f2a1c9e); type more of the id.");
    }

    @Test
    void anUnknownOrEmptyPrefixIsReportedAsNotFound() {
        assertThatThrownBy(() -> ShortIds.resolve("zz", List.of("3f2a1c9e"), "item"))
                .isInstanceOf(UnknownIdException.class)
                .hasMessage("No item has an id starting with 'zz'.");
        assertThatThrownBy(() -> ShortIds.resolve("", List.of("3f2a1c9e"), "conflict"))
                .isInstanceOf(UnknownIdException.class);
    }
}
