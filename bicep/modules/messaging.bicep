// Service Bus Standard: one topic per producing domain, duplicate detection on (the outbox relay
// sends MessageId = event id), and one subscription per consumer function. Each subscription
// keeps only its event: its $Default rule is replaced by a correlation filter on the subject
// (label), which the transport sets to the event name.

param name string
param location string
param tags { *: string }

@description('Topics and subscriptions (bicep/messaging.json).')
param topology {
  topics: string[]
  maxDeliveryCount: int
  subscriptions: {
    name: string
    topic: string
    eventName: string
  }[]
}

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    // Identity only: the app and the Functions trigger use Microsoft Entra (managed identity).
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource topics 'Microsoft.ServiceBus/namespaces/topics@2026-01-01' = [
  for topic in topology.topics: {
    parent: namespace
    name: topic
    properties: {
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: 'PT10M'
      defaultMessageTimeToLive: 'P14D'
      maxSizeInMegabytes: 1024
      enableBatchedOperations: true
    }
  }
]

resource subscriptions 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2026-01-01' = [
  for subscription in topology.subscriptions: {
    parent: topics[indexOf(topology.topics, subscription.topic)]
    name: subscription.name
    properties: {
      maxDeliveryCount: topology.maxDeliveryCount
      deadLetteringOnMessageExpiration: true
      deadLetteringOnFilterEvaluationExceptions: true
      lockDuration: 'PT1M'
      defaultMessageTimeToLive: 'P14D'
      enableBatchedOperations: true
    }
  }
]

// Service Bus creates a catch-all `$Default` rule (1=1) with every subscription; writing a rule of
// that name replaces it, so the subscription never holds a catch-all next to the filter.
resource eventFilters 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2026-01-01' = [
  for (subscription, i) in topology.subscriptions: {
    parent: subscriptions[i]
    name: '$Default'
    properties: {
      filterType: 'CorrelationFilter'
      correlationFilter: {
        label: subscription.eventName
      }
    }
  }
]

output name string = namespace.name
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
