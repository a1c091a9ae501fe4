package dev.cse4j.testing;

/** Child JVM for {@link AzuriteJvmDeathTest}: starts Azurite, prints its pid and blob port, then waits to be killed. */
public final class AzuriteHoldingMain {

    private AzuriteHoldingMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Azurite azurite = Azurite.start();
        String pid = azurite.toString().replaceAll(".*pid=(\\d+).*", "$1");
        System.out.println("AZURITE " + pid + " " + azurite.blobPort());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
