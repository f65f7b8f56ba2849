namespace NonBlockingLog.Stress.Scenarios;

/// <summary>One reliability scenario: puts a sink under load and a fault, and reports rows for the table.</summary>
internal interface IScenario
{
    /// <summary>The name used with --scenario.</summary>
    string Name { get; }

    /// <summary>One line said on stderr before it runs.</summary>
    string Description { get; }

    IReadOnlyList<ScenarioRow> Run(ScenarioContext context);
}
