using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Infrastructure;

/// <summary>
/// Base of every command: connects, runs, and turns gRPC errors into a readable message and a
/// non-zero exit code (1: refused by the server, 2: bad usage, 3: server unreachable, 4: not authenticated).
/// </summary>
public abstract class CirtCommand<TSettings>(IAnsiConsole console) : AsyncCommand<TSettings>
    where TSettings : ConnectionSettings
{
    protected IAnsiConsole Console { get; } = console;

    public sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
                CirtClient client;
        try
        {
            client = new CirtClient(settings.ResolveServer(), settings.ResolveApiKey());
        }
        catch (UsageException ex)
        {
            Console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return 2;
        }

        using var connection = client;
        try
        {
            return await RunAsync(client, settings, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
        {
            Console.MarkupLineInterpolated($"[red]error:[/] cannot reach the Cirt server at {client.Server}: {ex.Status.Detail}");
            Console.MarkupLine("Start it with [bold]dotnet run --project src/Cirt.Server[/], or point --server / CIRT_SERVER at it.");
            return 3;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unauthenticated)
        {
            Console.MarkupLineInterpolated($"[red]error (Unauthenticated):[/] {ex.Status.Detail}");
            Console.MarkupLine("Log in with [bold]cirt login --server URL --key KEY[/], or pass --key / CIRT_API_KEY.");
            return 4;
        }
        catch (RpcException ex)
        {
            Console.MarkupLineInterpolated($"[red]error ({ex.StatusCode}):[/] {ex.Status.Detail}");
            if (ex.GetRpcStatus()?.GetDetail<BadRequest>() is { } badRequest)
            {
                foreach (var violation in badRequest.FieldViolations)
                {
                    Console.MarkupLineInterpolated($"  [yellow]{violation.Field}[/]: {violation.Description}");
                }
            }

            return 1;
        }
        catch (UsageException ex)
        {
            Console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return 2;
        }
    }

    /// <summary>
    /// Writes what a command answers: with --output json, <paramref name="response"/> as one JSON
    /// document (the protobuf JSON mapping, default values included so that every field is always
    /// there); otherwise what <paramref name="writeTable"/> writes for people.
    /// </summary>
    protected int Emit(TSettings settings, IMessage response, Action writeTable)
    {
        if (settings.WantsJson)
        {
            WriteJson(Console, response);
        }
        else
        {
            writeTable();
        }

        return 0;
    }

    /// <summary>Writes <paramref name="message"/> as one JSON document, unwrapped, whatever the console's width.</summary>
    public static void WriteJson(IAnsiConsole console, IMessage message)
    {
        console.Profile.Out.Writer.WriteLine(JsonOutput.Format(message));
        console.Profile.Out.Writer.Flush();
    }

    protected abstract Task<int> RunAsync(CirtClient client, TSettings settings, CancellationToken cancellationToken);
}
