package io.meshyauth.server.password;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2 in pure Java through Bouncy Castle, keeping its memory from one hash to the next: a login then allocates
 * nothing for the garbage collector to reclaim. Bouncy Castle zeroes the blocks before handing them back.
 */
final class BouncyCastleArgon2 implements Argon2Function, Argon2BytesGenerator.BlockPool {
  private final Argon2BytesGenerator.Block[] free;
  private int count;

  BouncyCastleArgon2(int memoryKib) {
    // one 1 KiB block per KiB of memory; blocks beyond that (an older hash with more memory) are not kept
    this.free = new Argon2BytesGenerator.Block[memoryKib];
  }

  @Override
  public byte[] hash(byte[] password, PhcHash like, byte[] secret, byte[] associatedData) {
    var parameters = new Argon2Parameters.Builder(like.type())
        .withVersion(like.version())
        .withMemoryAsKB(like.memoryKib())
        .withIterations(like.iterations())
        .withParallelism(like.parallelism())
        .withSalt(like.salt())
        .withBlockPool(this);
    if (secret.length > 0) {
      parameters.withSecret(secret);
    }
    if (associatedData.length > 0) {
      parameters.withAdditional(associatedData);
    }
    var generator = new Argon2BytesGenerator();
    generator.init(parameters.build());
    var out = new byte[like.hash().length];
    // zeroes the blocks and hands them back to deallocate
    generator.generateBytes(password, out);
    return out;
  }

  @Override
  public Argon2BytesGenerator.Block allocate() {
    return count > 0 ? free[--count] : new Argon2BytesGenerator.Block();
  }

  @Override
  public void deallocate(Argon2BytesGenerator.Block block) {
    if (count < free.length) {
      free[count++] = block;
    }
  }
}
