package dev.cse4j.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Converts a file option's value to a {@link Path}, refusing an empty value (which Java would take as the current
 * folder) and one that is not a path here: both are usage errors.
 */
final class NonEmptyPath implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
        if (value.isEmpty()) {
            throw new TypeConversionException("the path is empty: give a file path.");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new TypeConversionException("'" + value + "' is not a valid path (" + e.getReason() + ").");
        }
    }
}
