"""Quest controllers, one module per resource."""

from service.quest.routes.events import EventController, StatsController
from service.quest.routes.goals import GoalController
from service.quest.routes.integrations import IntegrationController
from service.quest.routes.pets import PetController
from service.quest.routes.webhooks import WebhookController

CONTROLLERS = [PetController, IntegrationController, WebhookController, EventController, StatsController,
               GoalController]
