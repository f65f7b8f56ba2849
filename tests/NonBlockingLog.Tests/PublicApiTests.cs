using System.Reflection;
using System.Text;

namespace NonBlockingLog.Tests;

/// <summary>
/// The public API is a contract (and its parameter names are appsettings.json keys): any change to it must
/// show up here and be approved by updating PublicApi.approved.txt. PublicApiAnalyzers is not on our source.
/// </summary>
public sealed class PublicApiTests
{
    [Theory]
    [InlineData("NonBlockingLog", "PublicApi")]
    [InlineData("NonBlockingLog.AspNetCore", "PublicApi.AspNetCore")]
    public void PublicApi_MatchesTheApprovedList(string assemblyName, string file)
    {
        var approvedPath = Path.Combine(AppContext.BaseDirectory, file + ".approved.txt");
        var actual = Describe(Assembly.Load(assemblyName));
        var approved = File.ReadAllText(approvedPath).ReplaceLineEndings("\n");
        if (approved != actual)
        {
            File.WriteAllText(Path.Combine(AppContext.BaseDirectory, file + ".received.txt"), actual);
        }

        Assert.Equal(approved, actual);
    }

    static string Describe(Assembly assembly)
    {
        var text = new StringBuilder();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            var kind = type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsAbstract && type.IsSealed ? "static class" : type.IsSealed ? "sealed class" : "class";
            text.Append(kind).Append(' ').Append(type.FullName).Append('\n');
            if (type.IsEnum)
            {
                foreach (var name in Enum.GetNames(type)) text.Append("  ").Append(name).Append('\n');
                continue;
            }

            var members = type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => m is not MethodInfo { IsSpecialName: true })
                .Select(Describe)
                .Order(StringComparer.Ordinal);
            foreach (var member in members) text.Append("  ").Append(member).Append('\n');
        }

        return text.ToString();
    }

    static string Describe(MemberInfo member) => member switch
    {
        MethodInfo m => $"{(m.IsStatic ? "static " : "")}{Name(m.ReturnType)} {m.Name}({string.Join(", ", m.GetParameters().Select(Describe))})",
        ConstructorInfo c => $"ctor({string.Join(", ", c.GetParameters().Select(Describe))})",
        PropertyInfo p => $"{Name(p.PropertyType)} {p.Name} {{ {(p.GetMethod?.IsPublic == true ? "get; " : "")}{(p.SetMethod?.IsPublic == true ? (IsInitOnly(p.SetMethod) ? "init; " : "set; ") : "")}}}",
        FieldInfo f => $"{(f.IsStatic ? "static " : "")}{Name(f.FieldType)} {f.Name}",
        EventInfo e => $"event {Name(e.EventHandlerType!)} {e.Name}",
        _ => member.ToString()!,
    };

    static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(System.Runtime.CompilerServices.IsExternalInit));

    static string Describe(ParameterInfo p) =>
        $"{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : "")}";

    static string Name(Type t) => t.IsGenericType
        ? $"{t.Name[..t.Name.IndexOf('`')]}<{string.Join(", ", t.GetGenericArguments().Select(Name))}>"
        : t.Name;
}
