using System.Diagnostics;
using Cirt.Contracts.V1;
using Google.Protobuf.Reflection;

namespace Cirt.Contracts.Tests;

public sealed class ProtoContractTests
{
    private static readonly FileDescriptor[] Files =
    [
        TypesReflection.Descriptor, ReportingReflection.Descriptor, IncidentReflection.Descriptor,
        StakeholderReflection.Descriptor, SectorReflection.Descriptor,
    ];

    [Fact]
    public async Task TheProtosAreBufLintCleanAndEveryServiceAndRpcIsDocumented()
    {
        var root = RepositoryRoot();
        var info = new ProcessStartInfo("npx", ["--yes", "@bufbuild/buf", "lint"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("npx is needed to run buf lint: install Node.js and npm (tests/run.sh does it with apt-get).", ex);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"buf lint failed:\n{await output}{await errors}");
        }
    }

    [Fact]
    public void EveryEnumStartsWithAnUnspecifiedZero()
    {
        foreach (var e in Files.SelectMany(f => f.EnumTypes.Concat(f.MessageTypes.SelectMany(m => m.EnumTypes))))
        {
            Assert.EndsWith("_UNSPECIFIED", e.FindValueByNumber(0).Name);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "buf.yaml")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("buf.yaml not found above " + AppContext.BaseDirectory);
    }
}
