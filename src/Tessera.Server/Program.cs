using Tessera.Server.Cli;

return await AdminCli.RunAsync(args);
