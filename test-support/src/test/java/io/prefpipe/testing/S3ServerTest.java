package io.prefpipe.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3ServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void storesAndServesObjects_signedWithItsKey_andRefusesUnsignedRequests(@TempDir Path storage) throws Exception {
        try (S3Server s3 = S3Server.start(storage, "bucket-a")) {
            assertThat(s3.endpoint().getHost()).isEqualTo("127.0.0.1");
            HttpResponse<String> put = http.send(signed(s3, "PUT", "/bucket-a/dir/object.txt")
                    .PUT(HttpRequest.BodyPublishers.ofString("hello s3")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as("PUT: %s", put.body()).isEqualTo(200);

            HttpResponse<String> get = http.send(signed(s3, "GET", "/bucket-a/dir/object.txt").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.body()).isEqualTo("hello s3");
            assertThat(storage.resolve("blobs/bucket-a/dir/object.txt")).hasContent("hello s3");

            HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(
                    s3.endpoint().resolve("/bucket-a/dir/object.txt")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unsigned.statusCode()).isEqualTo(403);

            HttpResponse<String> otherBucket = http.send(signed(s3, "GET", "/bucket-b/x").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(otherBucket.statusCode()).isEqualTo(404);
            assertThat(otherBucket.body()).contains("NoSuchBucket");
        }
    }

    /** A request signed with AWS signature version 2, the simplest scheme the store accepts. */
    private static HttpRequest.Builder signed(S3Server s3, String method, String resource) throws Exception {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        String contentType = method.equals("PUT") ? "text/plain" : "";
        String toSign = method + "\n\n" + contentType + "\n" + date + "\n" + resource;
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(S3Server.SECRET_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String signature = Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s3.endpoint() + resource))
                .header("Date", date)
                .header("Authorization", "AWS " + S3Server.ACCESS_KEY + ":" + signature);
        return contentType.isEmpty() ? b : b.header("Content-Type", contentType);
    }
}
