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
catch (IOException failed) when (failed.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    // Kestrel names the address; the rest of its stack trace helps nobody.
    Console.Error.WriteLine($"cirt: {failed.Message} Stop the program holding it, or choose another address (--urls, Cirt:Http:Url, Cirt:Metrics:Url).");
    return StartupRefusedException.ExitCode;
}

return 0;
