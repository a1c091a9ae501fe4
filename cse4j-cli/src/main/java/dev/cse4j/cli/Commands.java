package dev.cse4j.cli;

import dev.cse4j.core.implementation.TerminalText;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.ParameterException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Builds the command tree and installs the one error-reporting policy: usage errors print one line ending with a
 * hint and exit 2; other failures print one line ({@link Failures}) and exit with its code; stack traces only with
 * {@code --debug} or {@code CSE4J_DEBUG}.
 */
final class Commands {
    private Commands() {
    }

    static CommandLine newCommandLine(CliContext context) {
        IFactory factory = new ContextFactory(context);
        CommandLine commandLine = new CommandLine(new RootCommand(), factory);
        commandLine.setOut(new PrintWriter(context.out(), true));
        commandLine.setErr(new PrintWriter(context.err(), true));
        commandLine.setParameterExceptionHandler((e, args) -> usageError(context, e));
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> failure(context, e, parsed.originalArgs()
            .toArray(String[]::new)));
        return commandLine;
    }

    /** One line, as every error: what is wrong, then where the usage is ({@code Try 'cse4j blob upload --help'}). */
    private static int usageError(CliContext context, ParameterException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().strip();
        context.err().println(TerminalText.line("cse4j: " + message + (message.endsWith(".") ? "" : ".") + " Try '"
            + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information."));
        return ExitCode.USAGE.code();
    }

    static int failure(CliContext context, Throwable e, String[] args) {
        context.err().println(TerminalText.line("cse4j: " + Failures.message(e)));
        if (context.debugRequested(args)) {
            printStackTrace(context.err(), e);
        }
        return Failures.exitCode(e).code();
    }

    /**
     * {@code e}'s stack trace, each line escaped ({@link TerminalText#escape}) but for its indentation: the messages
     * in it quote the service (a service error's body, blob names, stored metadata) as they are.
     */
    static void printStackTrace(PrintStream err, Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        trace.toString().lines().forEach(line -> {
            int indent = 0;
            while (indent < line.length() && line.charAt(indent) == '\t') {
                indent++;
            }
            err.println(line.substring(0, indent) + TerminalText.escape(line.substring(indent)));
        });
    }

    /** Gives every command the run's {@link CliContext} through a constructor taking it. */
    private static final class ContextFactory implements IFactory {
        private final CliContext context;
        private final IFactory defaults = CommandLine.defaultFactory();

        ContextFactory(CliContext context) {
            this.context = context;
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                return type.getDeclaredConstructor(CliContext.class).newInstance(context);
            } catch (NoSuchMethodException e) {
                return defaults.create(type);
            }
        }
    }
}
