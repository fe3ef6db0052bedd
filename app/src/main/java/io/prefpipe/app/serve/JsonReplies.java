package io.prefpipe.app.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON response bodies. Written with our own Jackson mapper so the wire form does not depend on Javalin's. */
final class JsonReplies {
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private JsonReplies() {}

    /** {@code {"error": code, "message": message}} with {@code status}. */
    static void error(Context ctx, int status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        send(ctx, status, body);
    }

    static void send(Context ctx, int status, Object body) {
        String json;
        try {
            json = MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a reply of maps, lists and records as JSON", e);
        }
        ctx.status(status).contentType("application/json").result(json);
    }
}
