using System.Diagnostics;
using Cirt.Contracts.V1;
using Google.Protobuf.Reflection;

namespace Cirt.Contracts.Tests;

public sealed class ProtoContractTests
{
    private static readonly IReadOnlyList<FileDescriptor> Files = ProtoFiles.All;

    [Fact]
    public void TheCompiledFilesAreExactlyTheProtoFilesOnDisk()
    {
        var protos = Path.Combine(RepositoryRoot(), "protos");
        var onDisk = Directory.GetFiles(protos, "*.proto", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(protos, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);

        Assert.Equal(onDisk, Files.Select(f => f.Name));
    }

    [Fact]
    public void EachFileDeclaresAtMostOneServiceNamedAfterIt()
    {
        foreach (var file in Files)
        {
            var stem = Path.GetFileNameWithoutExtension(file.Name);
            var service = Assert.Single(file.Services.Select(s => s.Name).DefaultIfEmpty(""));
            Assert.True(service.Length == 0 || service == char.ToUpperInvariant(stem[0]) + stem[1..] + "Service",
                $"{file.Name} declares {service}: one file per service, the file named after it");
        }

        Assert.NotEmpty(ProtoFiles.Services);
    }

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
        var enums = Files.SelectMany(f => f.EnumTypes.Concat(f.MessageTypes.SelectMany(NestedEnums))).ToArray();

        Assert.NotEmpty(enums);
        Assert.All(enums, e => Assert.EndsWith("_UNSPECIFIED", e.FindValueByNumber(0).Name));
    }

    private static IEnumerable<EnumDescriptor> NestedEnums(MessageDescriptor message) =>
        message.EnumTypes.Concat(message.NestedTypes.SelectMany(NestedEnums));

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
