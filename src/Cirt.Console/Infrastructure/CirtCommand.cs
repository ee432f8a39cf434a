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

    protected abstract Task<int> RunAsync(CirtClient client, TSettings settings, CancellationToken cancellationToken);
}
