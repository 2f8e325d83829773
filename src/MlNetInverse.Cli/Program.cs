// Entry point of mlnet-inverse: everything lives in CliApp so tests can run the same app in-process.
return MlNetInverse.Cli.CliApp.RunProcess(args);
