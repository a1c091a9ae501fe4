package dev.cse4j.testing;

import java.io.ByteArrayOutputStream;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.InvalidParameterSpecException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;

/**
 * A JCA provider whose {@code AES/GCM/NoPadding} holds every byte until {@code doFinal}, as the JDK's SunPKCS11 does
 * (a FIPS-mode JDK's first AES-GCM provider): {@code update} returns no ciphertext at all. The bytes are SunJCE's, so
 * what it makes is standard AES-GCM; only when they come out differs. For tests of code that encrypts in slices.
 */
public final class HoldingGcmProvider extends Provider {
    private static final long serialVersionUID = 1L;

    /** Registers {@link Spi} as {@code AES/GCM/NoPadding}. */
    public HoldingGcmProvider() {
        super("HoldingGcm", "1", "AES-GCM that returns its output only from doFinal (tests)");
        put("Cipher.AES/GCM/NoPadding", Spi.class.getName());
    }

    /** SunJCE's AES-GCM behind a buffer that {@code update} fills and {@code doFinal} empties. */
    public static final class Spi extends CipherSpi {
        private final Cipher inner;
        private final ByteArrayOutputStream held = new ByteArrayOutputStream();

        /** Made by the JCA. */
        public Spi() throws NoSuchAlgorithmException, NoSuchPaddingException {
            try {
                inner = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
            } catch (java.security.NoSuchProviderException e) {
                throw new NoSuchAlgorithmException("SunJCE is not installed", e);
            }
        }

        @Override
        protected void engineSetMode(String mode) throws NoSuchAlgorithmException {
            if (!"GCM".equalsIgnoreCase(mode)) {
                throw new NoSuchAlgorithmException("GCM only, not " + mode);
            }
        }

        @Override
        protected void engineSetPadding(String padding) throws NoSuchPaddingException {
            if (!"NoPadding".equalsIgnoreCase(padding)) {
                throw new NoSuchPaddingException("NoPadding only, not " + padding);
            }
        }

        @Override
        protected int engineGetBlockSize() {
            return 16;
        }

        @Override
        protected int engineGetOutputSize(int inputLen) {
            return inner.getOutputSize(held.size() + inputLen);
        }

        @Override
        protected byte[] engineGetIV() {
            return inner.getIV();
        }

        @Override
        protected AlgorithmParameters engineGetParameters() {
            return inner.getParameters();
        }

        @Override
        protected void engineInit(int opmode, Key key, SecureRandom random) throws InvalidKeyException {
            held.reset();
            inner.init(opmode, key, random);
        }

        @Override
        protected void engineInit(int opmode, Key key, AlgorithmParameterSpec params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
            held.reset();
            inner.init(opmode, key, params, random);
        }

        @Override
        protected void engineInit(int opmode, Key key, AlgorithmParameters params, SecureRandom random)
            throws InvalidKeyException, InvalidAlgorithmParameterException {
            try {
                engineInit(opmode, key, params.getParameterSpec(GCMParameterSpec.class), random);
            } catch (InvalidParameterSpecException e) {
                throw new InvalidAlgorithmParameterException(e);
            }
        }

        @Override
        protected void engineUpdateAAD(byte[] src, int offset, int len) {
            inner.updateAAD(src, offset, len);
        }

        /** Keeps {@code input} (null from {@code doFinal(out, off)}: nothing) for {@code doFinal}. */
        private void hold(byte[] input, int inputOffset, int inputLen) {
            if (input != null) {
                held.write(input, inputOffset, inputLen);
            }
        }

        @Override
        protected byte[] engineUpdate(byte[] input, int inputOffset, int inputLen) {
            hold(input, inputOffset, inputLen);
            return new byte[0];
        }

        @Override
        protected int engineUpdate(byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset) {
            hold(input, inputOffset, inputLen);
            return 0;
        }

        @Override
        protected byte[] engineDoFinal(byte[] input, int inputOffset, int inputLen)
            throws IllegalBlockSizeException, BadPaddingException {
            hold(input, inputOffset, inputLen);
            byte[] all = held.toByteArray();
            held.reset();
            return inner.doFinal(all);
        }

        @Override
        protected int engineDoFinal(byte[] input, int inputOffset, int inputLen, byte[] output, int outputOffset)
            throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
            hold(input, inputOffset, inputLen);
            if (output.length - outputOffset < inner.getOutputSize(held.size())) {
                throw new ShortBufferException("Need " + inner.getOutputSize(held.size()) + " bytes of output");
            }
            byte[] all = held.toByteArray();
            held.reset();
            return inner.doFinal(all, 0, all.length, output, outputOffset);
        }
    }
}
