package dev.cse4j.blob.implementation;

import com.azure.core.exception.UnexpectedLengthException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ConcurrentModificationException;
import java.util.Objects;

/**
 * A file being uploaded, as it was when the upload started: its size, modification time and identity (the file
 * system's file key). {@link #checkUnchanged()} runs once the file has been read to its end, before anything is
 * committed: a file that grew, shrank, was rewritten or replaced meanwhile fails the upload, so what is committed is
 * always the whole file as it was at one moment. (A change that keeps the size, the modification time and the file
 * is not seen: on file systems with coarse timestamps, a rewrite within the same tick.)
 */
public final class SourceFile {
    private final Path path;
    private final BasicFileAttributes before;

    private SourceFile(Path path, BasicFileAttributes before) {
        this.path = path;
        this.before = before;
    }

    /**
     * @throws UncheckedIOException if the file cannot be read or is not a regular file (a folder, FIFO or device)
     */
    public static SourceFile of(Path path) {
        BasicFileAttributes attributes = attributes(path);
        if (!attributes.isRegularFile()) {
            String reason = attributes.isDirectory() ? "it is a folder" : "it is not a regular file (a FIFO, device "
                + "or socket), so its length is not known before it is read";
            throw new UncheckedIOException("Cannot upload " + path + ": " + reason + ".",
                new FileSystemException(path.toString(), null, reason));
        }
        return new SourceFile(path, attributes);
    }

    public Path path() {
        return path;
    }

    /** The file's size when the upload started: the length declared for the upload. */
    public long size() {
        return before.size();
    }

    /**
     * @throws UnexpectedLengthException if the file's size changed since {@link #of}
     * @throws ConcurrentModificationException if it was modified or replaced since then
     */
    public void checkUnchanged() {
        BasicFileAttributes now = attributes(path);
        String changed = "The file " + path + " changed while it was uploaded";
        String outcome = ", so nothing was committed (the blob is as it was). Upload it again once it no longer "
            + "changes.";
        if (now.size() != before.size()) {
            throw new UnexpectedLengthException(changed + ": it had " + before.size() + " bytes when the upload "
                + "started and has " + now.size() + " now" + outcome, now.size(), before.size());
        }
        if (!now.lastModifiedTime().equals(before.lastModifiedTime())
            || !Objects.equals(now.fileKey(), before.fileKey())) {
            throw new ConcurrentModificationException(changed + ": it was modified or replaced (last modified "
                + before.lastModifiedTime() + " when the upload started, " + now.lastModifiedTime() + " now)"
                + outcome);
        }
    }

    private static BasicFileAttributes attributes(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("Cannot read " + path + ": it does not exist.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }
}
