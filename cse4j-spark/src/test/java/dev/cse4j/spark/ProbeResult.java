package dev.cse4j.spark;

import java.io.Serializable;

/**
 * One row of the probe job's report (a Java bean, for {@code Encoders.bean}): what happened to one blob, and
 * where and how long it ran.
 */
public class ProbeResult implements Serializable {
    private static final long serialVersionUID = 1L;

    private String name;
    private String result;
    private String reason;
    private String sha256;
    private long size;
    private String executor;
    private long pid;
    private int attempt;
    private long millis;

    /** For Spark's bean encoder. */
    public ProbeResult() {
    }

    ProbeResult(String name, String result, String reason, String sha256, long size, String executor, long pid,
                int attempt, long millis) {
        this.name = name;
        this.result = result;
        this.reason = reason;
        this.sha256 = sha256;
        this.size = size;
        this.executor = executor;
        this.pid = pid;
        this.attempt = attempt;
        this.millis = millis;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getResult() {
        return result;
    }

    public void setResult(String result) {
        this.result = result;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getSha256() {
        return sha256;
    }

    public void setSha256(String sha256) {
        this.sha256 = sha256;
    }

    public long getSize() {
        return size;
    }

    public void setSize(long size) {
        this.size = size;
    }

    public String getExecutor() {
        return executor;
    }

    public void setExecutor(String executor) {
        this.executor = executor;
    }

    public long getPid() {
        return pid;
    }

    public void setPid(long pid) {
        this.pid = pid;
    }

    public int getAttempt() {
        return attempt;
    }

    public void setAttempt(int attempt) {
        this.attempt = attempt;
    }

    public long getMillis() {
        return millis;
    }

    public void setMillis(long millis) {
        this.millis = millis;
    }

    @Override
    public String toString() {
        return name + ": " + result + (reason == null ? "" : " (" + reason + ")") + " on " + executor + " pid " + pid
            + " attempt " + attempt;
    }
}
