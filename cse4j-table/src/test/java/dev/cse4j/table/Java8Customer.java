package dev.cse4j.table;

import com.microsoft.azure.storage.table.Encrypt;
import com.microsoft.azure.storage.table.TableServiceEntity;

/** An entity class for the legacy Java 8 SDK, its secret marked with {@code @Encrypt} (on getter and setter). */
public class Java8Customer extends TableServiceEntity {
    private String secret;
    private String name;

    public Java8Customer() {
    }

    Java8Customer(String partitionKey, String rowKey, String secret, String name) {
        super(partitionKey, rowKey);
        this.secret = secret;
        this.name = name;
    }

    @Encrypt
    public String getSecret() {
        return secret;
    }

    @Encrypt
    public void setSecret(String secret) {
        this.secret = secret;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
