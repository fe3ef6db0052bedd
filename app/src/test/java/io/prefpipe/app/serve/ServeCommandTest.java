package io.prefpipe.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
    @TempDir Path tmp;

    @Test
    void parse_defaults_bindLoopbackOnly() {
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs("--bootstrap", "127.0.0.1:9092");

        assertThat(command.host).isEqualTo("127.0.0.1");
        assertThat(command.port).isEqualTo(ServeConfig.DEFAULT_PORT);
        assertThat(command.maxBodyBytes).isEqualTo(ServeConfig.DEFAULT_MAX_BODY_BYTES);
        assertThat(command.ackTimeoutSeconds).isEqualTo(ServeConfig.DEFAULT_ACK_TIMEOUT.toSeconds());
        assertThat(command.topic).isEqualTo("feedback");
    }

    @Test
    void token_fromFile_isItsFirstLineTrimmed() throws Exception {
        Path file = Files.writeString(tmp.resolve("token"), "  abcdefghijklmnopqrstuvwxyz  \nignored\n");
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs("--bootstrap", "127.0.0.1:9092", "--token-file", file.toString());

        assertThat(command.token()).isEqualTo("abcdefghijklmnopqrstuvwxyz");
    }

    @Test
    void token_emptyFile_isRefusedNamingTheOption() throws Exception {
        Path file = Files.writeString(tmp.resolve("token"), "\n");
        ServeCommand command = new ServeCommand();
        new CommandLine(command).parseArgs("--bootstrap", "127.0.0.1:9092", "--token-file", file.toString());

        assertThatThrownBy(command::token).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--token-file");
    }
}
