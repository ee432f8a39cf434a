using Cirt.Contracts;
using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Cirt.Console.Infrastructure;

/// <summary>
/// Base of every command: connects, runs, and turns errors into one readable message and an exit code.
/// </summary>
/// <remarks>
/// <para>Exit codes, the same for every command:</para>
/// <list type="table">
/// <item><term>0</term><description>done.</description></item>
/// <item><term>1</term><description>refused by the server (NOT_FOUND, PERMISSION_DENIED, FAILED_PRECONDITION, INVALID_ARGUMENT, ...).</description></item>
/// <item><term>2</term><description>bad usage, before any call: an unknown option, a value of the wrong type or word, a missing
/// argument, a failed validation (<see cref="CommandErrors"/> for what the command line refuses, <see cref="UsageException"/> for what a command refuses).</description></item>
/// <item><term>3</term><description>no server answered: none of the addresses could be reached (UNAVAILABLE after the retries), or
/// none answered within the deadline (DEADLINE_EXCEEDED).</description></item>
/// <item><term>4</term><description>not authenticated: no key, or one the server does not accept (UNAUTHENTICATED).</description></item>
/// </list>
/// <para>Messages name the status as gRPC spells it (FAILED_PRECONDITION). An INVALID_ARGUMENT is
/// printed once: the server's sentence, then each field violation under the console flag that sets
/// the field (tlp: --tlp, tracking_id: &lt;TRACKING-ID&gt;; <see cref="FieldNames"/>).</para>
/// <para>Calls are patient and safe to repeat (<see cref="ResilientCallInvoker"/>): --timeout or
/// CIRT_TIMEOUT sets each call's deadline, several --server addresses are tried in turn.</para>
/// </remarks>
public abstract class CirtCommand<TSettings>(IAnsiConsole console) : AsyncCommand<TSettings>
    where TSettings : ConnectionSettings
{
    /// <summary>Exit code of a call the server refused.</summary>
    public const int Refused = 1;

    /// <summary>Exit code of a command line that cannot be run as typed.</summary>
    public const int Usage = CommandErrors.Usage;

    /// <summary>Exit code when no server could be reached, or none answered in time.</summary>
    public const int Unreachable = 3;

    /// <summary>Exit code when the server does not accept the key.</summary>
    public const int NotAuthenticated = 4;

    protected IAnsiConsole Console { get; } = console;

    public sealed override async Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken)
    {
        CirtClient client;
        try
        {
            client = new CirtClient(settings.ResolveServers(), settings.ResolveApiKey(), new ResilienceOptions(settings.ResolveTimeout()));
        }
        catch (UsageException ex)
        {
            Console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return Usage;
        }

        using var connection = client;
        try
        {
            return await RunAsync(client, settings, cancellationToken);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
        {
            var servers = string.Join(", ", client.Servers);
            Console.MarkupLineInterpolated($"[red]error (UNAVAILABLE):[/] cannot reach the Cirt server at {servers}: {ex.Status.Detail}");
            Console.MarkupLine("Start it with [bold]dotnet run --project src/Cirt.Server[/], or point --server / CIRT_SERVER at it.");
            return Unreachable;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.DeadlineExceeded)
        {
            Console.MarkupLineInterpolated($"[red]error (DEADLINE_EXCEEDED):[/] no answer from the Cirt server at {client.Server} within {settings.ResolveTimeout().TotalSeconds:0.###} s.");
            Console.MarkupLine("Give it longer with [bold]--timeout SECONDS[/] or CIRT_TIMEOUT.");
            return Unreachable;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unauthenticated)
        {
            Console.MarkupLineInterpolated($"[red]error (UNAUTHENTICATED):[/] {ex.Status.Detail}");
            Console.MarkupLine("Log in with [bold]cirt login --server URL --key KEY[/], or pass --key / CIRT_API_KEY.");
            return NotAuthenticated;
        }
        catch (RpcException ex)
        {
            WriteRefusal(ex);
            return Refused;
        }
        catch (UsageException ex)
        {
            Console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return Usage;
        }
    }

    /// <summary>
    /// The server's refusal: its status and message, then each field violation once, under the
    /// console's name for the field.
    /// </summary>
    private void WriteRefusal(RpcException ex)
    {
        var violations = ex.GetRpcStatus()?.GetDetail<BadRequest>()?.FieldViolations.ToList() ?? [];
        Console.MarkupLineInterpolated($"[red]error ({StatusNames.Of(ex.StatusCode)}):[/] {Headline(ex.Status.Detail, violations)}");
        foreach (var violation in violations)
        {
            var field = FieldNames.Flag(typeof(TSettings), violation.Field);
            if (field.Length == 0)
            {
                Console.MarkupLineInterpolated($"  {violation.Description}");
            }
            else
            {
                Console.MarkupLineInterpolated($"  [yellow]{field}[/]: {violation.Description}");
            }
        }
    }

    /// <summary>
    /// The server's message without the violations it lists ("Invalid request: tlp: is required; ..."
    /// becomes "Invalid request."), since they follow one per line.
    /// </summary>
    public static string Headline(string detail, IReadOnlyList<BadRequest.Types.FieldViolation> violations)
    {
        if (violations.Count == 0)
        {
            return detail;
        }

        var first = violations[0];
        var listed = detail.IndexOf(first.Field.Length > 0 ? $"{first.Field}: {first.Description}" : first.Description, StringComparison.Ordinal);
        if (listed < 0)
        {
            return detail;
        }

        var headline = detail[..listed].TrimEnd(' ', ':', ';', ',');
        return headline.Length == 0 ? "The request has invalid fields:" : headline + ".";
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
