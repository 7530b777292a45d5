namespace ControlPanel.Web.Services;

/// <summary>
/// The dashboard's extension point: a feature adds its card by registering one of these
/// (services.AddSingleton(new DashboardSection(order, typeof(MyCard)))). The card is a component with no parameters.
/// Certificates (expiry) and nginx (status) plug in here when those features land.
/// </summary>
public sealed record DashboardSection(int Order, Type Component);
