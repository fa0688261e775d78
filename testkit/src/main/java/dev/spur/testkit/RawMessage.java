package dev.spur.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads sender, recipients, subject and bodies out of a raw MIME message, as SendRawEmail and
 * SES v2 raw content carry them.
 *
 * <p>It understands nested multipart bodies, base64 and quoted-printable transfer encodings and
 * encoded words in headers. The first {@code text/plain} and the first {@code text/html} part that
 * is not an attachment win; attachments and other parts are ignored.
 */
final class RawMessage {

  private static final Pattern ENCODED_WORD =
      Pattern.compile("=\\?([^?\\s]+)\\?([bBqQ])\\?([^?\\s]*)\\?=");
  private static final Pattern BETWEEN_ENCODED_WORDS = Pattern.compile("(\\?=)\\s+(=\\?)");
  private static final Pattern PARAMETER =
      Pattern.compile(";\\s*([A-Za-z0-9_.-]+)\\s*=\\s*(\"([^\"]*)\"|[^;\\s]+)");

  private RawMessage() {}

  /**
   * Parses {@code raw}; {@code fallbackFrom} and {@code fallbackTo} stand in when the message
   * lacks a From or To header.
   */
  static SentEmail parse(String raw, String fallbackFrom, List<String> fallbackTo) {
    Part message = Part.of(raw.replace("\r\n", "\n"));
    Bodies bodies = new Bodies();
    bodies.collect(message);
    String from = message.header("from");
    String to = message.header("to");
    return new SentEmail(
        from == null ? fallbackFrom : decodeWords(from),
        to == null ? fallbackTo : addresses(decodeWords(to)),
        message.header("subject") == null ? null : decodeWords(message.header("subject")),
        bodies.text,
        bodies.html);
  }

  /** Splits an address list at commas that stand outside quotes and angle brackets. */
  static List<String> addresses(String header) {
    List<String> result = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    int angle = 0;
    for (int i = 0; i < header.length(); i++) {
      char c = header.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == '<') {
        angle++;
      } else if (!quoted && c == '>') {
        angle = Math.max(0, angle - 1);
      } else if (!quoted && angle == 0 && c == ',') {
        addIfPresent(result, current.toString());
        current.setLength(0);
        continue;
      }
      current.append(c);
    }
    addIfPresent(result, current.toString());
    return result;
  }

  /** Decodes RFC 2047 encoded words; the white space between two adjacent words is dropped. */
  static String decodeWords(String header) {
    String joined = BETWEEN_ENCODED_WORDS.matcher(header).replaceAll("$1$2");
    Matcher word = ENCODED_WORD.matcher(joined);
    StringBuilder out = new StringBuilder();
    while (word.find()) {
      Charset charset = charset(word.group(1), StandardCharsets.UTF_8);
      String text = word.group(3);
      byte[] bytes =
          word.group(2).equalsIgnoreCase("B")
              ? Base64.getMimeDecoder().decode(text)
              : quotedPrintable(text.replace('_', ' '));
      word.appendReplacement(out, Matcher.quoteReplacement(new String(bytes, charset)));
    }
    word.appendTail(out);
    return out.toString();
  }

  /** Decodes quoted-printable text; a soft line break (a trailing '=') joins two lines. */
  static byte[] quotedPrintable(String text) {
    byte[] in = text.getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
    for (int i = 0; i < in.length; i++) {
      byte b = in[i];
      if (b != '=') {
        out.write(b);
      } else if (i + 1 < in.length && in[i + 1] == '\n') {
        i += 1;
      } else if (i + 2 < in.length && in[i + 1] == '\r' && in[i + 2] == '\n') {
        i += 2;
      } else if (i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
        out.write(hex(in[i + 1]) * 16 + hex(in[i + 2]));
        i += 2;
      } else {
        // A stray '=' is kept as written rather than failing the whole message.
        out.write(b);
      }
    }
    return out.toByteArray();
  }

  private static int hex(byte b) {
    return Character.digit(b, 16);
  }

  private static Charset charset(String name, Charset fallback) {
    if (name == null) {
      return fallback;
    }
    try {
      return Charset.forName(name);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      return fallback;
    }
  }

  private static void addIfPresent(List<String> list, String value) {
    String trimmed = value.strip();
    if (!trimmed.isEmpty()) {
      list.add(trimmed);
    }
  }

  /** The first plain and the first HTML body found in a depth-first walk. */
  private static final class Bodies {
    private String text;
    private String html;

    void collect(Part part) {
      String type = part.mediaType();
      if (type.startsWith("multipart/")) {
        for (Part child : part.children()) {
          collect(child);
        }
        return;
      }
      String disposition = part.header("content-disposition");
      if (disposition != null
          && disposition.strip().toLowerCase(Locale.ROOT).startsWith("attachment")) {
        return;
      }
      if (type.equals("text/plain") && text == null) {
        text = part.decodedBody();
      } else if (type.equals("text/html") && html == null) {
        html = part.decodedBody();
      }
    }
  }

  /** One MIME entity: its headers, lower-cased by name, and its undecoded body. */
  private record Part(Map<String, String> headers, String body) {

    static Part of(String entity) {
      if (entity.startsWith("\n")) {
        // A part without headers starts with the blank line that ends them.
        return new Part(Map.of(), entity.substring(1));
      }
      int split = entity.indexOf("\n\n");
      String head = split < 0 ? entity : entity.substring(0, split);
      String body = split < 0 ? "" : entity.substring(split + 2);
      Map<String, String> headers = new HashMap<>();
      String unfolded = head.replaceAll("\n[ \t]+", " ");
      for (String line : unfolded.split("\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          headers.putIfAbsent(
              line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
              line.substring(colon + 1).strip());
        }
      }
      return new Part(headers, body);
    }

    String header(String name) {
      return headers.get(name);
    }

    String mediaType() {
      String contentType = header("content-type");
      if (contentType == null) {
        return "text/plain";
      }
      int semicolon = contentType.indexOf(';');
      String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
      return type.strip().toLowerCase(Locale.ROOT);
    }

    String parameter(String name) {
      String contentType = header("content-type");
      if (contentType == null) {
        return null;
      }
      Matcher parameter = PARAMETER.matcher(contentType);
      while (parameter.find()) {
        if (parameter.group(1).equalsIgnoreCase(name)) {
          return parameter.group(3) != null ? parameter.group(3) : parameter.group(2);
        }
      }
      return null;
    }

    List<Part> children() {
      String boundary = parameter("boundary");
      List<Part> children = new ArrayList<>();
      if (boundary == null) {
        return children;
      }
      String delimiter = "--" + boundary;
      StringBuilder current = null;
      for (String line : body.split("\n", -1)) {
        if (line.strip().equals(delimiter + "--")) {
          break;
        }
        if (line.strip().equals(delimiter)) {
          if (current != null) {
            children.add(Part.of(withoutFinalNewline(current)));
          }
          current = new StringBuilder();
        } else if (current != null) {
          current.append(line).append('\n');
        }
      }
      if (current != null) {
        children.add(Part.of(withoutFinalNewline(current)));
      }
      return children;
    }

    String decodedBody() {
      String encoding = header("content-transfer-encoding");
      String name = encoding == null ? "" : encoding.strip().toLowerCase(Locale.ROOT);
      Charset charset = charset(parameter("charset"), StandardCharsets.UTF_8);
      return switch (name) {
        case "base64" -> new String(Base64.getMimeDecoder().decode(body.strip()), charset);
        case "quoted-printable" -> new String(quotedPrintable(body), charset);
        default -> body;
      };
    }

    // The line break before a boundary belongs to the boundary, not to the part.
    private static String withoutFinalNewline(StringBuilder part) {
      int end = part.length();
      if (end > 0 && part.charAt(end - 1) == '\n') {
        end--;
      }
      return part.substring(0, end);
    }
  }
}
