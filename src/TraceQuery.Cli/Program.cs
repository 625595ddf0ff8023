using TraceQuery.Cli;

// Progress lines only for a person watching stderr; stdout stays clean for pipes and for the MCP protocol.
return CliApp.Run(args, Console.Out, Console.Error, showProgress: !Console.IsErrorRedirected);
