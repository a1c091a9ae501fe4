package dev.cse4j.table;

/** Encrypts and decrypts the property values (and the name list) of one entity under its content key. */
interface PropertyCipher {
    /** @return the stored (Edm.Binary) form of the value of {@code propertyName} */
    byte[] encrypt(String propertyName, byte[] plaintext);

    /** @throws dev.cse4j.core.IntegrityException if the stored value fails the format's checks */
    byte[] decrypt(String propertyName, byte[] stored);
}
