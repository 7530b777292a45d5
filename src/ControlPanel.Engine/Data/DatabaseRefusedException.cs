namespace ControlPanel.Engine.Data;

/// <summary>A database that cannot be brought to the model without guessing at its rows; it was left as it was.</summary>
public sealed class DatabaseRefusedException(string message) : Exception(message);
