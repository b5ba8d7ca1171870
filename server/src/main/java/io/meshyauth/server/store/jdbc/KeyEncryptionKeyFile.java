package io.meshyauth.server.store.jdbc;

import static io.meshyauth.server.config.SettingKeys.KEY_ENCRYPTION_KEY_FILE;

import io.meshyauth.server.store.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file the key-encryption key lives in: 32 random bytes in base64 on one line, readable by its owner only.
 * It is created on first start; once the store holds keys encrypted with it, a missing file is an error, never
 * a reason to make a new one. No message ever quotes the file's content.
 */
final class KeyEncryptionKeyFile {
  private static final Logger LOG = LoggerFactory.getLogger(KeyEncryptionKeyFile.class);

  private KeyEncryptionKeyFile() {
  }

  /** How errors name the file: by the setting and the path, so the operator knows what to fix. */
  static String describe(Path file) {
    return KEY_ENCRYPTION_KEY_FILE + " " + file.toAbsolutePath();
  }

  /**
   * The key in {@code file}; when there is no file and the store records no key ({@code recorded} empty), a new
   * key, written there first.
   */
  static KeyEncryptionKey readOrCreate(Path file, Optional<String> recorded) {
    if (Files.exists(file)) {
      return read(file);
    }
    if (recorded.isPresent()) {
      throw new StoreException(describe(file) + " does not exist, but the store's private signing keys are "
          + "encrypted with the key it held (" + recorded.get() + "): restore that file from a backup, or see "
          + "\"Key-encryption key\" in the README to start over with new signing keys");
    }
    return create(file);
  }

  static KeyEncryptionKey read(Path file) {
    byte[] content;
    try {
      content = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new StoreException("cannot read " + describe(file) + ": " + e.getClass().getSimpleName());
    }
    var stripped = strip(content);
    byte[] bytes = null;
    try {
      bytes = Base64.getDecoder().decode(stripped);
      if (bytes.length != KeyEncryptionKey.BYTES) {
        throw new IllegalArgumentException();
      }
      OwnerOnlyFiles.warnIfOthersMayRead(file, "the key-encryption key of the private signing keys");
      return KeyEncryptionKey.of(bytes);
    } catch (IllegalArgumentException e) {
      // the decoder's message quotes the offending character: not passed on
      throw new StoreException(describe(file) + " does not hold a key-encryption key: expected "
          + KeyEncryptionKey.BYTES + " random bytes in base64 on one line");
    } finally {
      Arrays.fill(content, (byte) 0);
      Arrays.fill(stripped, (byte) 0);
      if (bytes != null) {
        Arrays.fill(bytes, (byte) 0);
      }
    }
  }

  /**
   * Writes a new key beside the file and links it in, so the file appears whole or not at all, and a process
   * that raced us to it wins: its key is then read instead.
   */
  private static KeyEncryptionKey create(Path file) {
    var key = KeyEncryptionKey.generate();
    Path temporary = null;
    try {
      temporary = OwnerOnlyFiles.createTemporary(file);
      var encoded = key.encoded();
      try (var channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        var buffer = ByteBuffer.wrap(encoded);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      } finally {
        Arrays.fill(encoded, (byte) 0);
      }
      try {
        Files.createLink(file, temporary);
      } catch (FileAlreadyExistsException e) {
        return read(file);
      } catch (UnsupportedOperationException | IOException e) {
        // no hard links on this file system: a move that refuses to replace is the next best thing
        Files.move(temporary, file);
      }
      LOG.info("created the key-encryption key file {} ({}), readable by its owner only: back it up apart from "
          + "the database; every node on the store needs the same file", file.toAbsolutePath(),
          KEY_ENCRYPTION_KEY_FILE);
      return key;
    } catch (FileAlreadyExistsException e) {
      return read(file);
    } catch (NoSuchFileException e) {
      throw new StoreException("cannot create " + describe(file) + ": its directory does not exist");
    } catch (IOException e) {
      throw new StoreException("cannot create " + describe(file) + ": " + e.getMessage());
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException e) {
          LOG.debug("could not delete {}", temporary, e);
        }
      }
    }
  }

  private static byte[] strip(byte[] content) {
    int from = 0;
    int to = content.length;
    while (from < to && Character.isWhitespace(content[from])) {
      from++;
    }
    while (to > from && Character.isWhitespace(content[to - 1])) {
      to--;
    }
    return Arrays.copyOfRange(content, from, to);
  }
}
