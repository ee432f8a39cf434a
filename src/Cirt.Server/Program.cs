using Cirt.Server;
using Cirt.Server.Backup;

if (args is [BackupRestore.Command, .. var restore])
{
    return await BackupRestore.RunAsync(restore, Console.Out, Console.Error);
}

try
{
    CirtServer.Build(args).Run();
}
catch (StartupRefusedException refused)
{
    // One line a problem, naming the setting and the rule: a configuration mistake is not a crash.
    foreach (var problem in refused.Problems)
    {
        Console.Error.WriteLine($"cirt: {problem}");
    }

    return StartupRefusedException.ExitCode;
}

return 0;
