import ServiceLifecycle

/// The agent as a swift-service-lifecycle `Service`: SIGTERM/SIGINT start a graceful shutdown,
/// which cancels the agent's loops; the file in hand is finished (its transaction commits or
/// rolls back as a whole) and a pending refresh runs if it is quick.
public struct AgentService: Service {
    public let agent: InboxAgent

    public init(agent: InboxAgent) {
        self.agent = agent
    }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await agent.run()
        }
    }
}
