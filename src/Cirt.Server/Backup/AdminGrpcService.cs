using Cirt.Server.Security;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Proto = Cirt.Contracts.V1;

namespace Cirt.Server.Backup;

/// <summary>cirt.v1.AdminService: running the server itself (coordinators only, by <see cref="AccessRules"/>).</summary>
public sealed class AdminGrpcService(OnlineBackup backup, ILogger<AdminGrpcService> logger) : Proto.AdminService.AdminServiceBase
{
    public override async Task<Proto.BackupResponse> Backup(Proto.BackupRequest request, ServerCallContext context)
    {
        if (request.Name.Length > 0 && BackupName.Problem(request.Name) is { } problem)
        {
            new Violations().Add("name", problem).ThrowIfAny();
        }

        TakenBackup taken;
        try
        {
            taken = await backup.TakeAsync(request.Name.Length > 0 ? request.Name : null, context.CancellationToken);
        }
        catch (BackupRefusedException refused)
        {
            throw new RpcException(new Status(StatusOf(refused.Reason), refused.Message));
        }

        logger.LogInformation("Backup {Folder} taken by {KeyId}", taken.Folder, context.Principal().KeyId);
        return ToProto(taken);
    }

    private static StatusCode StatusOf(BackupRefusal reason) => reason switch
    {
        BackupRefusal.NameTaken => StatusCode.AlreadyExists,
        BackupRefusal.Unavailable => StatusCode.Unavailable,
        _ => StatusCode.FailedPrecondition,
    };

    private static Proto.BackupResponse ToProto(TakenBackup taken)
    {
        var response = new Proto.BackupResponse
        {
            Folder = taken.Folder,
            IngestLogPosition = taken.Manifest.IngestLogPosition,
            AggregatedLogPosition = taken.Manifest.AggregatedLogPosition,
            ConsistentAt = Timestamp.FromDateTimeOffset(taken.Manifest.ConsistentAt),
            WritersPaused = Duration.FromTimeSpan(taken.Paused.Writers),
            IngestLogPaused = Duration.FromTimeSpan(taken.Paused.IngestLog),
        };
        response.Files.AddRange(taken.Manifest.Files.Select(f => new Proto.BackupFile { Name = f.Name, SizeBytes = f.SizeBytes, Sha256 = f.Sha256 }));
        return response;
    }
}
