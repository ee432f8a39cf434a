using Cirt.Server;

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
