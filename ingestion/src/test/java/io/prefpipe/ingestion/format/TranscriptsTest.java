package io.prefpipe.ingestion.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TranscriptsTest {
    private static final List<ChatMessage> CONVERSATION = List.of(
            new ChatMessage("system", "Be brief."),
            new ChatMessage("user", "Hi!\nHow are you?"),
            new ChatMessage("assistant", "Fine.\n\nThanks."),
            new ChatMessage("user", "Name a prime."));

    @Test
    void render_labelsEachMessageAndJoinsWithABlankLine() {
        assertThat(Transcripts.render(CONVERSATION))
                .isEqualTo("System: Be brief.\n\nHuman: Hi!\nHow are you?\n\nAssistant: Fine.\n\nThanks.\n\nHuman: Name a prime.");
    }

    @Test
    void messages_ofARenderedTranscript_givesBackTheConversation() {
        assertThat(Transcripts.messages(Transcripts.render(CONVERSATION))).isEqualTo(CONVERSATION);
    }

    @Test
    void messages_hhRlhfPromptWithAnEmptyAssistantTurn_keepsEveryTurn() {
        assertThat(Transcripts.messages("Human: Hi\n\nAssistant:\n\nHuman: Hello?")).containsExactly(
                new ChatMessage("user", "Hi"), new ChatMessage("assistant", ""), new ChatMessage("user", "Hello?"));
    }

    @Test
    void messages_plainPrompt_isOneUserMessageHoldingAllOfIt() {
        assertThat(Transcripts.messages("The sky is")).containsExactly(new ChatMessage("user", "The sky is"));
        assertThat(Transcripts.messages("Say Human: twice\n\nHuman: ok")).containsExactly(
                new ChatMessage("user", "Say Human: twice\n\nHuman: ok"));
    }

    @Test
    void render_unknownRole_isRefused() {
        assertThatThrownBy(() -> Transcripts.render(List.of(new ChatMessage("tool", "x"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tool");
    }
}
