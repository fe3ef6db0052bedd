package io.prefpipe.flink.fs;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a snapshot or checkpoint folder lives, as an absolute URI: {@code file:///data/snapshots},
 * {@code s3://bucket/snapshots}, {@code hdfs://namenode:8020/snapshots}. Text without a scheme is a local path,
 * resolved against the working folder.
 */
public final class Locations {
    /** A scheme of two or more characters, so that a Windows drive letter ({@code C:\...}) reads as a path. */
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:.*");

    private Locations() {}

    /**
     * The location {@code text} names.
     *
     * @param field the setting it comes from, named in errors
     * @throws IllegalArgumentException naming {@code field}, if {@code text} is blank, not a valid URI or path, or a URI
     *     without a path
     */
    public static URI parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(field + " is required and must not be blank");
        }
        if (!SCHEME.matcher(text).matches()) {
            try {
                return of(java.nio.file.Path.of(text));
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(field + " '" + text + "' is not a valid path: " + e.getMessage(), e);
            }
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(field + " '" + text + "' is not a valid URI: " + e.getMessage(), e);
        }
        if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/") && uri.getAuthority() == null) {
            throw new IllegalArgumentException(field + " '" + text + "' names no folder; give a URI with a path, e.g. "
                    + "s3://bucket/snapshots");
        }
        if ("file".equals(uri.getScheme())) {
            try {
                return of(java.nio.file.Path.of(uri));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + " '" + text + "' is not a local file URI: " + e.getMessage(),
                        e);
            }
        }
        return withoutTrailingSlash(uri.normalize());
    }

    /** The absolute {@code file:} URI of a local path, without a trailing slash. */
    public static URI of(java.nio.file.Path local) {
        return withoutTrailingSlash(local.toAbsolutePath().normalize().toUri());
    }

    /** The last element of the location's path, e.g. the snapshot folder's name; empty for a root. */
    public static Optional<String> name(URI location) {
        String path = withoutTrailingSlash(location).getPath();
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
    }

    private static URI withoutTrailingSlash(URI uri) {
        String text = uri.toString();
        String path = uri.getPath();
        return path != null && path.length() > 1 && text.endsWith("/")
                ? URI.create(text.substring(0, text.length() - 1))
                : uri;
    }

    /** A location as a person reads it: a {@code file:} location as its local path, any other as its URI. */
    public static String display(URI location) {
        return local(location).map(java.nio.file.Path::toString).orElse(location.toString());
    }

    /** The local path of a {@code file:} location; empty for any other scheme. */
    public static Optional<java.nio.file.Path> local(URI location) {
        return "file".equals(location.getScheme()) ? Optional.of(java.nio.file.Path.of(location)) : Optional.empty();
    }
}
