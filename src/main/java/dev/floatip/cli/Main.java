package dev.floatip.cli;

import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import picocli.CommandLine;

/** The single entry point: {@code floatip <command>}; picocli parses, Quarkus supplies beans. */
@QuarkusMain
public class Main implements QuarkusApplication {

  @Inject CommandLine.IFactory factory;

  @Override
  public int run(String... args) {
    return new CommandLine(new FloatipCommand(), factory).execute(args);
  }
}
