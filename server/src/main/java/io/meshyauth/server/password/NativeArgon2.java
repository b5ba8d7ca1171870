package io.meshyauth.server.password;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import de.mkammerer.argon2.jna.Argon2Library;
import de.mkammerer.argon2.jna.Argon2_context;
import de.mkammerer.argon2.jna.Argon2_type;
import de.mkammerer.argon2.jna.Argon2_version;
import de.mkammerer.argon2.jna.JnaUint32;
import java.lang.reflect.Proxy;
import java.util.Arrays;

/**
 * Argon2 in libargon2, the reference C implementation, called through argon2-jvm's JNA binding: JNA loads a
 * libargon2 installed on the system if there is one, the copy bundled in argon2-jvm otherwise.
 *
 * <p>argon2-jvm's own {@code rawHashAdvanced} refuses an empty password (JNA allocates no empty memory) and runs a
 * thread per lane, so this fills libargon2's context itself: any type, version and tag length a stored PHC string
 * has, the password copied to native memory that is wiped as soon as the hash is done. libargon2 allocates the
 * Argon2 memory for each hash and wipes it before freeing it. The lanes run on the calling thread alone, as in
 * Bouncy Castle: a hash is one core's work, which is what {@code argon2.max-concurrent} counts.
 */
final class NativeArgon2 implements Argon2Function {
  private final Argon2Library library;
  private final String origin;

  private NativeArgon2(Argon2Library library, String origin) {
    this.library = library;
    this.origin = origin;
  }

  /**
   * Loads libargon2 and checks it against RFC 9106's Argon2id test vector; throws ({@link LinkageError} or
   * {@link IllegalStateException}) when it cannot be loaded or computes something else.
   */
  static NativeArgon2 load() {
    var library = Argon2Library.INSTANCE;
    var file = ((Library.Handler) Proxy.getInvocationHandler(library)).getNativeLibrary().getFile();
    // JNA copies a library it takes from the class path to a temporary file of its own naming
    var origin = file.getName().contains("argon2") ? file.getPath() : "the copy bundled in argon2-jvm";
    var loaded = new NativeArgon2(library, origin);
    if (!Arrays.equals(Rfc9106.argon2id(loaded), Rfc9106.ARGON2ID_TAG)) {
      throw new IllegalStateException("libargon2 (" + origin + ") does not compute RFC 9106's Argon2id test vector");
    }
    return loaded;
  }

  String description() {
    return "libargon2, native (" + origin + ")";
  }

  @Override
  public byte[] hash(byte[] password, PhcHash like, byte[] secret, byte[] associatedData) {
    int length = like.hash().length;
    Memory out = new Memory(length);
    Memory pwd = copy(password);
    Memory key = copy(secret);
    Memory salt = copy(like.salt());
    Memory ad = copy(associatedData);
    try {
      var context = new Argon2_context.ByReference();
      context.out = out;
      context.outlen = new JnaUint32(length);
      context.pwd = pwd;
      context.pwdlen = new JnaUint32(password.length);
      context.salt = salt;
      context.saltlen = new JnaUint32(like.salt().length);
      context.secret = key;
      context.secretlen = new JnaUint32(secret.length);
      context.ad = ad;
      context.adlen = new JnaUint32(associatedData.length);
      context.t_cost = new JnaUint32(like.iterations());
      context.m_cost = new JnaUint32(like.memoryKib());
      context.lanes = new JnaUint32(like.parallelism());
      context.threads = new JnaUint32(1);
      context.version = new Argon2_version(like.version());
      context.allocate_cbk = Pointer.NULL;
      context.free_cbk = Pointer.NULL;
      context.flags = new JnaUint32(0);
      // the type numbers are libargon2's (Argon2_d 0, Argon2_i 1, Argon2_id 2), which PhcHash shares
      int result = library.argon2_ctx(context, new Argon2_type(like.type()));
      if (result != Argon2Library.ARGON2_OK) {
        throw new IllegalStateException("libargon2 failed: " + library.argon2_error_message(result));
      }
      return out.getByteArray(0, length);
    } finally {
      for (var memory : new Memory[] {pwd, key, salt, ad, out}) {
        if (memory != null) {
          memory.clear();
          memory.close();
        }
      }
    }
  }

  /** Native memory holding the bytes; null (a NULL pointer, which libargon2 takes with length 0) for none. */
  private static Memory copy(byte[] bytes) {
    if (bytes.length == 0) {
      return null;
    }
    var memory = new Memory(bytes.length);
    memory.write(0, bytes, 0, bytes.length);
    return memory;
  }
}
