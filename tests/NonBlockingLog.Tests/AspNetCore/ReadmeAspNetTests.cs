using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NonBlockingLog.Tests.AspNetCore;

/// <summary>
/// README's "Watching it" and "ASP.NET Core" sections are true as written: the sample shown in full is the
/// sample's files character for character, with the packages it names, and every C# block compiles as shown.
/// </summary>
public sealed partial class ReadmeAspNetTests
{
    static readonly string Root = FindRoot();
    static readonly string SampleFolder = Path.Combine(Root, "src", "NonBlockingLog.Sample");

    // What Microsoft.NET.Sdk.Web puts in scope with <ImplicitUsings>enable</ImplicitUsings>.
    static readonly string WebSdkUsings = string.Concat(new[]
    {
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Net.Http.Json",
        "System.Threading", "System.Threading.Tasks", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration",
        "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    }.Select(n => $"global using global::{n};\n"));

    static string Section(string heading, string next)
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no heading {heading}");
        var end = readme.IndexOf("\n" + next, start + 1, StringComparison.Ordinal);
        return readme[start..end];
    }

    /// <summary>The blocks introduced by a line naming a file, such as "`Program.cs`:".</summary>
    static Dictionary<string, string> FileBlocks(string section) =>
        FileBlock().Matches(section).ToDictionary(m => m.Groups["file"].Value, m => m.Groups["code"].Value);

    [Fact]
    public void Readme_SampleInFull_IsTheSamplesFilesCharacterForCharacter()
    {
        var blocks = FileBlocks(Section("## ASP.NET Core", "### "));

        Assert.Equal(["OperatorAccess.cs", "Program.cs", "appsettings.json"], blocks.Keys.Order(StringComparer.Ordinal));
        foreach (var (file, code) in blocks)
            Assert.Equal(File.ReadAllText(Path.Combine(SampleFolder, file)).ReplaceLineEndings("\n").TrimEnd('\n'), code);

        // "All of its code": the sample has no other source file.
        var sources = Directory.EnumerateFiles(SampleFolder, "*.cs", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(SampleFolder, p))
            .Where(p => !p.StartsWith("obj", StringComparison.Ordinal) && !p.StartsWith("bin", StringComparison.Ordinal));
        Assert.Equal(["OperatorAccess.cs", "Program.cs"], sources.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Readme_SamplePackages_AreNamedWithTheirPinnedVersions()
    {
        var section = Section("## ASP.NET Core", "### ");
        var pinned = XDocument.Load(Path.Combine(Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);
        var project = XDocument.Load(Path.Combine(SampleFolder, "NonBlockingLog.Sample.csproj"));

        Assert.Equal("Microsoft.NET.Sdk.Web", (string?)project.Root!.Attribute("Sdk"));
        var packages = project.Descendants("PackageReference").Select(e => (string)e.Attribute("Include")!).ToArray();
        Assert.NotEmpty(packages);
        foreach (var package in packages) Assert.Contains($"{package} {pinned[package]}", section.ReplaceLineEndings(" "), StringComparison.Ordinal);
        foreach (var reference in project.Descendants("ProjectReference").Select(e => Path.GetFileNameWithoutExtension(((string)e.Attribute("Include")!).Replace('\\', '/'))))
            Assert.Contains($"`{reference}`", section, StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_SampleInFull_CompilesAsShown()
    {
        var blocks = FileBlocks(Section("## ASP.NET Core", "### "));

        AssertCompiles(blocks["Program.cs"], blocks["OperatorAccess.cs"]);
    }

    [Fact]
    public void Readme_WatchingItSnippets_EachCompileAsShown()
    {
        var snippets = CSharpBlock().Matches(Section("## Watching it", "## ")).Select(m => m.Groups["code"].Value).ToArray();

        Assert.Equal(2, snippets.Length);
        foreach (var snippet in snippets) AssertCompiles(snippet);
    }

    /// <summary>Compiles the files as one console app of a web project, against this test's references.</summary>
    static void AssertCompiles(params string[] files)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = files.Append(WebSdkUsings).Select(f => CSharpSyntaxTree.ParseText(f, parse));

        // Everything this test runs with (the framework, ASP.NET Core, Serilog, OpenTelemetry, NonBlockingLog),
        // except the sample itself, whose Program the README's code defines anew.
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileNameWithoutExtension(p) is not ("NonBlockingLog.Sample" or "NonBlockingLog.Tests"))
            .Select(p => MetadataReference.CreateFromFile(p));

        var compilation = CSharpCompilation.Create("ReadmeSample", trees, references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var output = new MemoryStream();
        var result = compilation.Emit(output);

        // CS1701/CS1702: assembly version unification, which the SDK also silences.
        var problems = result.Diagnostics
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id is not ("CS1701" or "CS1702"))
            .Select(d => d.ToString()).ToArray();
        Assert.True(result.Success && problems.Length == 0, string.Join("\n", problems));
    }

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "README.md")) && File.Exists(Path.Combine(dir.FullName, "NonBlockingLog.sln"))) return dir.FullName;
        }

        throw new DirectoryNotFoundException("the folder of README.md and NonBlockingLog.sln was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^`(?<file>[\w.]+)`[^\n]*:\n\n```(?:json|csharp)\n(?<code>.*?)\n```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex FileBlock();

    [GeneratedRegex(@"```csharp\n(?<code>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
