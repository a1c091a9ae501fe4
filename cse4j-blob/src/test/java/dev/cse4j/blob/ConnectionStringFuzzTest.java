package dev.cse4j.blob;

import com.azure.storage.blob.BlobServiceClientBuilder;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cse4j.core.implementation.ServiceConnection;
import dev.cse4j.testing.AllocationMeter;
import dev.cse4j.testing.FuzzSeeds;
import org.junit.jupiter.api.Test;

import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target of connection strings as cse4j checks them before an Azure SDK builder sees them
 * ({@link ServiceConnection#checkConnectionString}, which cse4j's builders, the command line and the Spark job run;
 * docs/fuzzing.md). Invariant: the check returns, or refuses with {@link IllegalArgumentException} quoting none of the
 * string's account keys and SAS signatures; a string it lets through is never refused by the Azure
 * SDK's blob builder for a URL that does not parse (the SDK logs what it refuses that way, SAS and all, so the check
 * must catch all of it first); at most {@link #ALLOCATION_BASE} + {@link #ALLOCATION_PER_BYTE} bytes per input byte
 * allocated.
 */
class ConnectionStringFuzzTest {
    static final long ALLOCATION_BASE = 64 * 1024;
    static final long ALLOCATION_PER_BYTE = 64;
    static final int SECRET = 16;
    private static final Pattern SECRET_VALUE = Pattern.compile("(?:AccountKey=|sig=)([^;&]*)");

    @FuzzTest
    void checkConnectionString(byte[] input) {
        String connectionString = new String(input, StandardCharsets.UTF_8);
        try {
            AllocationMeter.steady(ALLOCATION_BASE + ALLOCATION_PER_BYTE * input.length,
                "ServiceConnection.checkConnectionString", () -> {
                    ServiceConnection.checkConnectionString("blob", connectionString);
                    return null;
                });
        } catch (IllegalArgumentException refused) {
            for (String secret : secrets(connectionString)) {
                assertThat(refused.getMessage()).doesNotContain(secret);
            }
            return;
        }
        try {
            new BlobServiceClientBuilder().connectionString(connectionString);
        } catch (RuntimeException sdkRefused) {
            Throwable cause = sdkRefused.getCause();
            assertThat(cause instanceof URISyntaxException || cause instanceof MalformedURLException)
                .as("what the check let through, the SDK refused for a URL: %s", sdkRefused).isFalse();
        }
    }

    /**
     * The string's account keys and SAS signatures (the values of {@code AccountKey=} and {@code sig=}) that look like
     * one: {@value #SECRET} characters or more, and not letters only (shorter or plain words may be words of the
     * refusal's own text, such as a setting's name).
     */
    private static List<String> secrets(String connectionString) {
        List<String> secrets = new ArrayList<>();
        Matcher matcher = SECRET_VALUE.matcher(connectionString);
        while (matcher.find()) {
            String value = matcher.group(1);
            if (value.length() >= SECRET && !value.chars().allMatch(Character::isLetter)) {
                secrets.add(value);
            }
        }
        return secrets;
    }

    @Test
    void committedSeeds_areAzuriteTheCloudAndBrokenEndpoints() {
        String key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
        String sas = "sv=2021-08-06&ss=b&srt=sco&sp=rwdl&se=2030-01-01T00:00:00Z&sig=c2VjcmV0U2lnbmF0dXJl";
        Map<String, String> seeds = new LinkedHashMap<>();
        seeds.put("azurite", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + key
            + ";BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;");
        seeds.put("cloud", "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + key
            + ";EndpointSuffix=core.windows.net");
        seeds.put("sas-only", "BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=" + sas);
        seeds.put("development", "UseDevelopmentStorage=true");
        seeds.put("space-in-endpoint", "BlobEndpoint=http://127.0.0.1:1/acct/not a url?" + sas
            + ";SharedAccessSignature=" + sas);
        seeds.put("no-scheme", "BlobEndpoint=127.0.0.1:1/acct;AccountName=acct;AccountKey=" + key);
        seeds.put("bad-account-name", "DefaultEndpointsProtocol=https;AccountName=a b;AccountKey=" + key);
        seeds.put("other-service-broken", "BlobEndpoint=https://acct.blob.core.windows.net;QueueEndpoint=http://x/%zz;"
            + "SharedAccessSignature=" + sas);
        seeds.put("unknown-protocol", "DefaultEndpointsProtocol=gopher;AccountName=acct;AccountKey=" + key);
        seeds.put("no-equals", "BlobEndpoint;AccountKey");
        seeds.put("empty", "");
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        seeds.forEach((name, text) -> bytes.put(name, text.getBytes(StandardCharsets.UTF_8)));
        FuzzSeeds.check(ConnectionStringFuzzTest.class, "checkConnectionString", bytes);
    }
}
