package org.discrete4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code d4j} command line: one subcommand per job, each writing its results to {@code --out DIR}. */
@Command(
        name = "d4j",
        mixinStandardHelpOptions = true,
        versionProvider = Provenance.VersionProvider.class,
        description = "discrete4j: learning and sampling with discrete random variables.",
        subcommands = {SampleCommand.class, EstimatorsCommand.class, BenchCommand.class,
            VaeCommand.class, SbnCommand.class, M2Command.class, TopicsCommand.class, VqCommand.class,
            RbmMmdCommand.class, IsingLearnCommand.class, FhmmCommand.class, PottsCommand.class,
            TrainRbmCommand.class, EbmCommand.class, AisCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code: 0 success, 1 runtime error, 2 usage error. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.subcommands().stream()
                    .anyMatch(p -> p.hasMatchedOption("--verbose"));
            commandLine.getErr().println("d4j: error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            if (verbose) {
                ex.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("(run with --verbose for the stack trace)");
            }
            return 1;
        });
        return cli.execute(args);
    }
}
